// Issuing and batches. French first, then English (src/i18n composes every feature's messages).
import type { Catalogue } from '../i18n/index.js';

export const issuingMessages = {
  'issue.title': { fr: 'Délivrer un badge', en: 'Award a badge' },
  'issue.badge': { fr: 'Quel badge ?', en: 'Which badge?' },
  'issue.chooseBadge': { fr: 'Choisir ce badge', en: 'Choose this badge' },
  'issue.who': { fr: 'À qui ?', en: 'To whom?' },
  'issue.reflection': { fr: 'Ses mots à elle ou à lui : ce que j’ai fait, ce que j’ai appris (facultatif)', en: 'In their own words: what I did, what I learned (optional)' },
  'issue.alreadyHas': { fr: 'a déjà ce badge', en: 'already has this badge' },
  'issue.noConsent': { fr: 'accord pas encore donné', en: 'has not agreed yet' },
  'issue.reissue': { fr: 'Délivrer à nouveau à qui l’a déjà', en: 'Award again to those who already have it' },
  'issue.preview': { fr: 'Voir l’aperçu', en: 'Preview' },
  'issue.submit': { fr: 'Délivrer les badges', en: 'Award the badges' },
  'issue.previewTitle': { fr: 'Aperçu : voici ce que verra {name}', en: 'Preview: this is what {name} will see' },
  'issue.previewMore': { fr: 'et {count} autre(s) personne(s)', en: 'and {count} more person(s)' },
  'issue.noBadge': { fr: 'Cet atelier ne propose encore aucun badge. Modifiez l’atelier pour en choisir.', en: 'This workshop offers no badge yet. Edit the workshop to choose some.' },
  'batch.title': { fr: 'Délivrance des badges', en: 'Awarding badges' },
  'batch.progress': { fr: '{done} sur {total} badge(s) délivré(s)', en: '{done} of {total} badge(s) awarded' },
  'batch.running': { fr: 'En cours… cette page se met à jour toute seule.', en: 'In progress… this page updates by itself.' },
  'batch.finished': { fr: 'Terminé.', en: 'Finished.' },
  'batch.interrupted': { fr: 'Interrompu : le serveur s’est arrêté pendant la délivrance. Les badges comptés ici sont bien délivrés, chacun avec son lien.', en: 'Interrupted: the server stopped while awarding. The badges counted here were awarded, each with its link.' },
  'batch.resume': { fr: 'Reprendre la délivrance pour les autres', en: 'Resume awarding for the others' },
  'batch.resumeHint': { fr: 'Personne ne recevra son badge deux fois.', en: 'Nobody will get their badge twice.' },
  'batch.failed': { fr: '{count} badge(s) non délivré(s) :', en: '{count} badge(s) not awarded:' },
  'batch.backToAtelier': { fr: 'Retour à l’atelier', en: 'Back to the workshop' },
} satisfies Catalogue;

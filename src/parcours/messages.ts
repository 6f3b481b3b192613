// Parcours. French first, then English (src/i18n composes every feature's messages).
import type { Catalogue } from '../i18n/index.js';

export const parcoursMessages = {
  'parcours.title': { fr: 'Parcours', en: 'Pathways' },
  'parcours.intro': { fr: 'Un parcours rassemble des ateliers dans l’ordre (par exemple trois séances sur les démarches en ligne). Vous voyez qui est venu à quoi et qui a quel badge ; chaque personne voit où elle en est, sur la page de son badge.', en: 'A pathway gathers workshops in order (for instance three sessions on online procedures). You see who came to what and who holds which badge; each person sees where she stands, on her badge’s page.' },
  'parcours.name': { fr: 'Nom du parcours', en: 'Pathway name' },
  'parcours.ateliers': { fr: 'Ses ateliers (deux au moins ; dans l’ordre de leurs dates)', en: 'Its workshops (two at least; in the order of their dates)' },
  'parcours.create': { fr: 'Créer le parcours', en: 'Create the pathway' },
  'parcours.none': { fr: 'Aucun parcours pour l’instant.', en: 'No pathway yet.' },
  'parcours.step': { fr: 'Étape {n}', en: 'Step {n}' },
  'parcours.person': { fr: 'Personne', en: 'Person' },
  'parcours.attended': { fr: 'venue', en: 'came' },
  'parcours.absent': { fr: '—', en: '—' },
  'parcours.aims': { fr: 'Vise', en: 'Aims at' },
  'parcours.yours': { fr: 'Votre parcours « {name} »', en: 'Your pathway “{name}”' },
  'parcours.done': { fr: 'fait', en: 'done' },
  'parcours.next': { fr: 'prochaine étape', en: 'next step' },
  'parcours.later': { fr: 'à venir', en: 'to come' },
} satisfies Catalogue;

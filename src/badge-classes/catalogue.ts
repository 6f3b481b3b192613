// The starter catalogue: French non-scholastic skill badges a collective can copy and adapt.
// Pictures are drawn here as plain SVG shapes (no fonts needed) in each badge's colour.

export interface StarterBadge {
  key: string;
  name: string;
  description: string;
  criteria: string;
  achievementType: string;
  tags: string[];
  colour: string;
  glyph: keyof typeof GLYPHS;
  alt: string;
}

/** What each starter badge recognises in RECTEC and the CRCN (badge-classes/frameworks.ts), at level 1: a first step. */
export const STARTER_ALIGNMENTS: Record<string, string[]> = {
  equipe: ['RECTEC:ORG3'], parole: ['RECTEC:COM1'], demarches: ['RECTEC:COM4', 'CRCN:2.4'], 'e-reputation': ['CRCN:4.2', 'CRCN:2.2'],
  evenement: ['RECTEC:ORG1'], ecoute: ['RECTEC:COM1', 'RECTEC:COM3'], animer: ['RECTEC:COM1', 'RECTEC:ORG3'], benevolat: ['RECTEC:PER1'],
  budget: ['RECTEC:ORG4'], mobilite: ['RECTEC:ORG1', 'RECTEC:ACT2'], conflit: ['RECTEC:ACT2', 'RECTEC:COM3'], transmettre: ['RECTEC:COM1', 'RECTEC:PER2'],
};

const GLYPHS = {
  people: '<circle cx="200" cy="230" r="34"/><circle cx="312" cy="230" r="34"/><path d="M140 340c0-40 28-64 60-64s60 24 60 64zM252 340c0-40 28-64 60-64s60 24 60 64z"/>',
  speech: '<path d="M150 170h212a30 30 0 0 1 30 30v110a30 30 0 0 1-30 30H240l-60 46v-46h-30a30 30 0 0 1-30-30V200a30 30 0 0 1 30-30z"/>',
  screen: '<rect x="146" y="170" width="220" height="150" rx="14"/><rect x="226" y="320" width="60" height="30"/><rect x="196" y="350" width="120" height="16" rx="8"/>',
  shield: '<path d="M256 150l100 40v70c0 66-44 110-100 132-56-22-100-66-100-132v-70z"/>',
  calendar: '<rect x="156" y="180" width="200" height="180" rx="16"/><rect x="186" y="156" width="20" height="48" rx="8"/><rect x="306" y="156" width="20" height="48" rx="8"/>',
  ear: '<path d="M256 150c62 0 100 44 100 100 0 40-24 58-44 74-18 14-18 46-52 46-26 0-40-18-40-38h32c0 6 4 10 10 10 16 0 16-20 32-34 22-18 34-30 34-58 0-38-28-70-72-70s-72 32-72 70h-32c0-56 42-100 104-100z"/>',
  star: '<path d="M256 148l32 66 72 10-52 50 12 72-64-34-64 34 12-72-52-50 72-10z"/>',
  heart: '<path d="M256 366l-90-86c-44-42-20-118 38-118 24 0 40 12 52 30 12-18 28-30 52-30 58 0 82 76 38 118z"/>',
  coins: '<ellipse cx="256" cy="200" rx="90" ry="30"/><path d="M166 220v40c0 17 40 30 90 30s90-13 90-30v-40c0 17-40 30-90 30s-90-13-90-30zM166 280v40c0 17 40 30 90 30s90-13 90-30v-40c0 17-40 30-90 30s-90-13-90-30z"/>',
  map: '<path d="M256 150c-44 0-80 34-80 78 0 58 80 142 80 142s80-84 80-142c0-44-36-78-80-78zm0 110a32 32 0 1 1 0-64 32 32 0 0 1 0 64z"/>',
  bridge: '<path d="M136 330v-30c40 0 70-60 120-60s80 60 120 60v30zM150 300v-70h20v70zM342 300v-70h20v70z"/>',
  hands: '<path d="M150 300l60-60 46 30 46-30 60 60-60 50-46-30-46 30z"/>',
} as const;

/** A badge picture: a coloured disc, a ring and a white glyph, 512×512. */
export function starterPicture(badge: Pick<StarterBadge, 'colour' | 'glyph' | 'alt'>): string {
  return '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" role="img">' +
    `<title>${badge.alt}</title><circle cx="256" cy="256" r="240" fill="${badge.colour}"/>` +
    '<circle cx="256" cy="256" r="200" fill="none" stroke="#ffffff" stroke-width="12" stroke-opacity="0.6"/>' +
    `<g fill="#ffffff">${GLYPHS[badge.glyph]}</g></svg>`;
}

const criteria = (items: string[]) => `La personne a montré, pendant l’atelier ou dans sa vie, qu’elle sait :\n\n${items.map((i) => `- ${i}`).join('\n')}\n\nElle l’a raconté avec ses propres mots.`;

export const STARTER_BADGES: StarterBadge[] = [
  { key: 'equipe', name: 'Travailler en équipe', glyph: 'people', colour: '#1f6f8b', achievementType: 'ext:SoftSkill',
    description: 'Sait coopérer avec d’autres pour mener un projet commun : partager les tâches, s’entraider, tenir compte de chacun.',
    criteria: criteria(['prendre sa part du travail commun', 'écouter les idées des autres et proposer les siennes', 'aider quelqu’un du groupe']),
    tags: ['coopération', 'travail en équipe', 'savoir-être'], alt: 'Badge Travailler en équipe : deux personnes côte à côte' },
  { key: 'parole', name: 'Prendre la parole en public', glyph: 'speech', colour: '#b5473a', achievementType: 'ext:SoftSkill',
    description: 'Ose s’exprimer devant un groupe, se faire comprendre et répondre aux questions.',
    criteria: criteria(['présenter une idée ou une expérience devant un groupe', 'adapter ses mots à son public', 'répondre à une question']),
    tags: ['communication', 'expression orale', 'confiance en soi'], alt: 'Badge Prendre la parole en public : une bulle de parole' },
  { key: 'demarches', name: 'Faire ses démarches en ligne', glyph: 'screen', colour: '#2f7d32', achievementType: 'ext:DigitalSkill',
    description: 'Sait mener seul·e une démarche administrative sur internet : créer un compte, remplir un formulaire, envoyer un document.',
    criteria: criteria(['créer et garder un identifiant et un mot de passe', 'remplir un formulaire en ligne jusqu’au bout', 'joindre un document et garder la preuve d’envoi']),
    tags: ['numérique', 'démarches administratives', 'autonomie'], alt: 'Badge Faire ses démarches en ligne : un écran d’ordinateur' },
  { key: 'e-reputation', name: 'Maîtriser son e-réputation', glyph: 'shield', colour: '#5b3f8c', achievementType: 'ext:DigitalSkill',
    description: 'Sait ce que l’on trouve sur soi en ligne et choisit ce qu’on montre : réglages de confidentialité, traces, image professionnelle.',
    criteria: criteria(['chercher son nom sur internet et lire ce qui apparaît', 'régler la confidentialité d’un réseau social', 'choisir ce qu’on publie selon qui le verra']),
    tags: ['numérique', 'réseaux sociaux', 'vie privée'], alt: 'Badge Maîtriser son e-réputation : un bouclier' },
  { key: 'evenement', name: 'Organiser un événement', glyph: 'calendar', colour: '#c77800', achievementType: 'ext:CivicEngagement',
    description: 'Sait préparer et faire vivre un événement : fixer une date, trouver un lieu, inviter, répartir les rôles, faire le bilan.',
    criteria: criteria(['préparer un programme et un calendrier', 'trouver les personnes et le matériel nécessaires', 'faire le bilan avec les autres']),
    tags: ['organisation', 'projet', 'engagement'], alt: 'Badge Organiser un événement : un calendrier' },
  { key: 'ecoute', name: 'Écouter et accueillir', glyph: 'ear', colour: '#00796b', achievementType: 'ext:SoftSkill',
    description: 'Sait écouter sans juger, reformuler, et mettre une personne à l’aise.',
    criteria: criteria(['écouter quelqu’un jusqu’au bout sans l’interrompre', 'reformuler ce qu’il ou elle a dit', 'accueillir une personne nouvelle dans un groupe']),
    tags: ['écoute', 'empathie', 'savoir-être'], alt: 'Badge Écouter et accueillir : une oreille' },
  { key: 'animer', name: 'Animer un groupe', glyph: 'star', colour: '#ad1457', achievementType: 'ext:SoftSkill',
    description: 'Sait faire avancer un groupe : proposer un déroulé, donner la parole, tenir le temps, conclure.',
    criteria: criteria(['proposer un déroulé à un groupe', 'donner la parole à chacun', 'tenir le temps et conclure']),
    tags: ['animation', 'leadership', 'organisation'], alt: 'Badge Animer un groupe : une étoile' },
  { key: 'benevolat', name: 'S’engager comme bénévole', glyph: 'heart', colour: '#c62828', achievementType: 'ext:Volunteering',
    description: 'Donne de son temps dans une association ou un collectif, de façon régulière et fiable.',
    criteria: criteria(['s’engager dans une action bénévole', 'tenir ses engagements dans la durée', 'raconter ce que cette action a apporté']),
    tags: ['bénévolat', 'engagement', 'citoyenneté'], alt: 'Badge S’engager comme bénévole : un cœur' },
  { key: 'budget', name: 'Gérer un budget du quotidien', glyph: 'coins', colour: '#6d4c41', achievementType: 'ext:LifeSkill',
    description: 'Sait prévoir ses dépenses et ses ressources, comparer, et tenir un budget sur un mois.',
    criteria: criteria(['lister ses ressources et ses dépenses', 'comparer des offres avant d’acheter', 'tenir un budget sur un mois']),
    tags: ['budget', 'vie quotidienne', 'autonomie'], alt: 'Badge Gérer un budget du quotidien : des pièces' },
  { key: 'mobilite', name: 'Se déplacer en autonomie', glyph: 'map', colour: '#0d47a1', achievementType: 'ext:LifeSkill',
    description: 'Sait préparer un trajet, lire un horaire ou une carte, et utiliser les transports ou le covoiturage.',
    criteria: criteria(['préparer un trajet avec une carte ou une application', 'lire un horaire de transport', 'trouver une solution quand le trajet change']),
    tags: ['mobilité', 'autonomie', 'vie quotidienne'], alt: 'Badge Se déplacer en autonomie : un repère sur une carte' },
  { key: 'conflit', name: 'Apaiser un conflit', glyph: 'bridge', colour: '#455a64', achievementType: 'ext:SoftSkill',
    description: 'Sait calmer un désaccord, chercher ce que chacun veut, et proposer une solution acceptable.',
    criteria: criteria(['rester calme pendant un désaccord', 'faire dire à chacun ce qu’il veut', 'proposer une solution qui convient aux deux']),
    tags: ['médiation', 'communication', 'savoir-être'], alt: 'Badge Apaiser un conflit : un pont' },
  { key: 'transmettre', name: 'Transmettre un savoir-faire', glyph: 'hands', colour: '#827717', achievementType: 'ext:PeerRecognition',
    description: 'Sait montrer à quelqu’un comment faire quelque chose qu’on sait faire, avec patience.',
    criteria: criteria(['montrer un savoir-faire pas à pas', 'vérifier que l’autre a compris', 'encourager l’autre à essayer']),
    tags: ['transmission', 'pédagogie', 'entraide'], alt: 'Badge Transmettre un savoir-faire : deux mains' },
];

// Every user-facing sentence of the OB 3.0 core, in French (default) and English.
// Keys are stable: error codes (UPPER_CASE) and check outcomes (check.outcome).
import type { Lang } from './model.js';

type Catalogue = Record<string, { fr: string; en: string }>;

const messages = {
  // ---- errors: reading input ----
  INPUT_EMPTY: { fr: 'Le fichier est vide : demandez à nouveau le badge.', en: 'The input is empty: ask for the badge again.' },
  INPUT_TOO_LARGE: {
    fr: 'Le fichier est trop gros ({size} octets, maximum {max}).',
    en: 'The input is too large ({size} bytes, limit {max}).',
  },
  INPUT_UNRECOGNISED: {
    fr: "Ce n'est ni une image PNG ou SVG, ni du JSON, ni un JWT.",
    en: 'This is not a PNG or SVG image, JSON, or a JWT.',
  },
  UTF8_INVALID: { fr: "Le texte n'est pas de l'UTF-8 valide.", en: 'The text is not valid UTF-8.' },
  JSON_MALFORMED: {
    fr: 'Le JSON est mal formé ou incomplet ({detail}) : demandez à nouveau le badge, en entier.',
    en: 'Malformed or incomplete JSON ({detail}): ask for the badge again, whole.',
  },
  JSON_NOT_OBJECT: { fr: "Le JSON n'est pas un objet.", en: 'The JSON is not an object.' },
  JSON_TOO_DEEP: {
    fr: 'Le JSON est imbriqué trop profondément (plus de {max} niveaux).',
    en: 'The JSON is nested too deeply (more than {max} levels).',
  },
  PNG_BAD_SIGNATURE: { fr: "Ce n'est pas une image PNG.", en: 'This is not a PNG image.' },
  PNG_TRUNCATED: { fr: "L'image PNG est tronquée (incomplète) : demandez à nouveau le fichier du badge.", en: 'The PNG image is truncated: ask for the badge file again.' },
  PNG_BAD_CRC: {
    fr: "L'image PNG est abîmée (somme de contrôle fausse dans le bloc {chunk}) : demandez à nouveau le fichier du badge.",
    en: 'The PNG image is damaged (bad CRC in chunk {chunk}): ask for the badge file again.',
  },
  PNG_NO_IHDR: { fr: "L'image PNG n'a pas d'en-tête IHDR.", en: 'The PNG image has no IHDR header.' },
  PNG_NO_CREDENTIAL: {
    fr: 'Cette image PNG ne contient pas de badge (aucun bloc « openbadgecredential ») : une capture d’écran n’en contient pas, et une image renvoyée par une messagerie le perd. Demandez le fichier du badge ou son lien.',
    en: 'This PNG image holds no badge (no "openbadgecredential" chunk): a screenshot holds none, and a picture sent through a messaging app loses it. Ask for the badge file or its link.',
  },
  PNG_DUPLICATE_CREDENTIAL: {
    fr: "Cette image PNG contient plusieurs badges ; la norme n'en permet qu'un.",
    en: 'This PNG image holds more than one credential chunk; only one is allowed.',
  },
  PNG_ITXT_MALFORMED: { fr: 'Le bloc iTXt du badge est mal formé.', en: "The badge's iTXt chunk is malformed." },
  PNG_ITXT_TOO_LARGE: {
    fr: 'Le badge contenu dans l’image est trop gros (maximum {max} octets).',
    en: 'The credential inside the image is too large (limit {max} bytes).',
  },
  SVG_MALFORMED: { fr: "L'image SVG est mal formée : {detail}", en: 'The SVG image is malformed: {detail}' },
  SVG_DOCTYPE_FORBIDDEN: {
    fr: "L'image SVG déclare un DOCTYPE ou des entités XML, refusés par sécurité.",
    en: 'The SVG image declares a DOCTYPE or XML entities, which are refused for safety.',
  },
  SVG_NO_CREDENTIAL: {
    fr: 'Cette image SVG ne contient pas de badge (aucun élément « openbadges:credential ») : demandez le fichier du badge ou son lien.',
    en: 'This SVG image holds no badge (no "openbadges:credential" element): ask for the badge file or its link.',
  },
  PRESENTATION_COUNT: {
    fr: 'C’est une présentation (l’export d’un portefeuille) qui contient {count} badges : donnez-les un par un.',
    en: 'This is a presentation (a wallet’s export) holding {count} credentials: give them one at a time.',
  },
  PRESENTATION_EMPTY: {
    fr: 'C’est une présentation (l’export d’un portefeuille) qui ne contient aucun badge lisible.',
    en: 'This is a presentation (a wallet’s export) holding no readable credential.',
  },
  INPUT_WEB_PAGE: {
    fr: '« {url} » est une page web, pas un badge, et elle n’indique pas où est le badge lui-même. Sur cette page, cherchez un bouton pour télécharger le badge ou copier son lien, ou demandez le fichier du badge à la personne.',
    en: '"{url}" is a web page, not a badge, and it does not say where the badge itself is. On that page, look for a button to download the badge or copy its link, or ask the person for the badge file.',
  },
  INPUT_SD_JWT: {
    fr: 'Ceci est une attestation SD-JWT (à divulgation sélective, celle des portefeuilles européens) : ce n’est pas un format d’Open Badges 3.0, et elle n’est pas vérifiée ici. Demandez le badge en JSON, en VC-JWT ou en image (PNG, SVG).',
    en: 'This is an SD-JWT credential (selective disclosure, as European wallets hold): not an Open Badges 3.0 format, and not verified here. Ask for the badge as JSON, as a VC-JWT or as an image (PNG, SVG).',
  },
  INPUT_OTHER_FILE: {
    fr: 'Ce fichier est un {format} : il ne peut pas contenir de badge (une photo, une capture d’écran ou une attestation PDF n’en contient pas). Demandez le fichier du badge (PNG, SVG, JSON) ou son lien.',
    en: 'This file is a {format}: it cannot hold a badge (a photo, a screenshot or a PDF certificate holds none). Ask for the badge file (PNG, SVG, JSON) or its link.',
  },
  IMAGE_UNSUPPORTED: {
    fr: 'Seules les images PNG et SVG peuvent porter un badge.',
    en: 'Only PNG and SVG images can carry a badge.',
  },
  VERIFY_FAILED: {
    fr: "La vérification n'a pas pu aboutir ({detail}) : le badge n'est pas validé.",
    en: 'The verification could not be completed ({detail}): the credential is not accepted.',
  },
  OB2_INCOMPLETE: {
    fr: 'Badge Open Badges 2.0 incomplet : {what} manque ou ne se lit pas.',
    en: 'Incomplete Open Badges 2.0 badge: {what} is missing or unreadable.',
  },
  OB2_INCONSISTENT: {
    fr: 'Badge Open Badges 2.0 incohérent : l’adresse {url} ne renvoie pas le {what} qu’elle devrait.',
    en: 'Inconsistent Open Badges 2.0 badge: {url} does not answer with the {what} it should.',
  },
  // ---- errors: documents and network ----
  URL_INVALID: { fr: "L'adresse « {url} » n'est pas valide.", en: 'The address "{url}" is not valid.' },
  URL_FORBIDDEN: {
    fr: "L'adresse « {url} » est refusée : seules les adresses https publiques sont suivies.",
    en: 'The address "{url}" is refused: only public https addresses are followed.',
  },
  NETWORK_OFFLINE: {
    fr: "Mode hors ligne : « {url} » n'a pas été téléchargé.",
    en: 'Offline mode: "{url}" was not fetched.',
  },
  FETCH_GONE: {
    fr: '{url} a été retiré par son site (HTTP 410).',
    en: '{url} was removed by its site (HTTP 410).',
  },
  FETCH_FAILED: {
    fr: "« {url} » n'a pas pu être téléchargé ({detail}).",
    en: '"{url}" could not be fetched ({detail}).',
  },
  FETCH_TIMEOUT: {
    fr: "« {url} » n'a pas répondu à temps ({ms} ms).",
    en: '"{url}" did not answer in time ({ms} ms).',
  },
  FETCH_TOO_LARGE: {
    fr: '« {url} » renvoie un document trop gros (maximum {max} octets).',
    en: '"{url}" returned a document that is too large (limit {max} bytes).',
  },
  CONTEXT_NOT_BUNDLED: {
    fr: "Le contexte JSON-LD « {url} » est inconnu : il n'est pas téléchargé, par sécurité.",
    en: 'Unknown JSON-LD context "{url}": contexts are never downloaded.',
  },
  DOCUMENT_NOT_FOUND: {
    fr: 'Le document « {url} » est introuvable.',
    en: 'The document "{url}" could not be found.',
  },
  DID_METHOD_UNSUPPORTED: {
    fr: "La méthode DID de « {did} » n'est pas prise en charge (seules did:key, did:jwk et did:web le sont).",
    en: 'The DID method of "{did}" is not supported (only did:key, did:jwk and did:web are).',
  },
  DID_INVALID: { fr: "L'identifiant DID « {did} » est invalide.", en: 'Invalid DID "{did}".' },
  VERIFICATION_METHOD_NOT_FOUND: {
    fr: 'La clé « {id} » est absente du document de son émetteur.',
    en: 'The key "{id}" is not in its controller document.',
  },
  // ---- errors: keys, building, signing ----
  KEY_FILE_INVALID: {
    fr: "Le fichier de clé « {path} » n'est pas une clé Ed25519 valide.",
    en: 'The key file "{path}" is not a valid Ed25519 key.',
  },
  KEY_PASSPHRASE_NEEDED: {
    fr: 'La clé « {path} » est chiffrée : donnez sa phrase de passe (BADGEONS_KEYS_PASSPHRASE).',
    en: 'The key "{path}" is encrypted: give its passphrase (BADGEONS_KEYS_PASSPHRASE).',
  },
  KEY_PASSPHRASE_WRONG: {
    fr: 'La phrase de passe ne déchiffre pas la clé « {path} ».',
    en: 'The passphrase does not decrypt the key "{path}".',
  },
  KEY_FILE_UNREADABLE: {
    fr: 'Le fichier de clé « {path} » ne peut pas être lu.',
    en: 'The key file "{path}" cannot be read.',
  },
  BUILD_INVALID: { fr: 'Badge incomplet : {detail}', en: 'Incomplete badge: {detail}' },
  SIGN_FAILED: { fr: 'La signature a échoué : {detail}', en: 'Signing failed: {detail}' },
  // ---- errors: JWT ----
  JWT_MALFORMED: { fr: 'Le JWT est mal formé : {detail}', en: 'Malformed JWT: {detail}' },
  JWT_ALG_FORBIDDEN: {
    fr: "L'algorithme de signature « {alg} » est refusé : il ne peut pas prouver qui a signé (acceptés : EdDSA, RS256, ES256…).",
    en: 'Signature algorithm "{alg}" is refused: it cannot prove who signed (accepted: EdDSA, RS256, ES256…).',
  },
  JWT_KEY_HEADER: {
    fr: "L'en-tête du JWT doit désigner la clé par « kid » ou « jwk », et un seul des deux.",
    en: 'The JWT header must name its key with exactly one of "kid" or "jwk".',
  },
  JWT_PRIVATE_KEY: {
    fr: "L'en-tête du JWT contient une clé privée : refusé.",
    en: 'The JWT header carries a private key: refused.',
  },
  JWT_HEADER_EXTRA: {
    fr: "L'en-tête du JWT contient un paramètre non permis : « {param} ».",
    en: 'The JWT header has a parameter that is not allowed: "{param}".',
  },
  // ---- proof outcomes ----
  PROOF_MISSING: {
    fr: "Le badge n'est pas signé (aucune preuve) : rien ne prouve qui l'a délivré. Demandez le badge tel que son émetteur l'a délivré (fichier ou lien).",
    en: 'The credential has no proof: nothing shows who issued it. Ask for the badge as its issuer delivered it (file or link).',
  },
  PROOF_UNSUPPORTED: {
    fr: 'Type de preuve non pris en charge : {type}.',
    en: 'Unsupported proof type: {type}.',
  },
  JSON_DUPLICATE_KEY: {
    fr: 'Le badge contient deux fois la clé « {key} » au même endroit : selon le logiciel qui le lit, il dirait deux choses différentes. Il est refusé.',
    en: 'The credential has the key "{key}" twice in one place: depending on the software reading it, it would say two different things. It is refused.',
  },
  PNG_ITXT_COMPRESSED: {
    fr: 'Le badge est rangé compressé dans l’image, ce que la norme Open Badges 3.0 interdit (§5.3.1) : il est refusé.',
    en: 'The credential is stored compressed in the image, which Open Badges 3.0 forbids (§5.3.1): it is refused.',
  },
  PROOF_VALUE_TOO_LONG: {
    fr: 'La signature est anormalement longue ({length} caractères) : elle est refusée sans être lue.',
    en: 'The signature is abnormally long ({length} characters): it is refused unread.',
  },
  PROOF_INVALID: {
    fr: 'La signature ne correspond pas : le badge a été modifié ou la clé est fausse.',
    en: 'The signature does not match: the credential was altered or the key is wrong.',
  },
  KEY_UNREACHABLE: {
    fr: "La clé de l'émetteur est introuvable : {detail}",
    en: "The issuer's key could not be obtained: {detail}",
  },
  // ---- status lists ----
  STATUS_LIST_INVALID: {
    fr: 'La liste de statut « {url} » est invalide : {detail}',
    en: 'The status list "{url}" is invalid: {detail}',
  },
  STATUS_INDEX_INVALID: {
    fr: "L'index de statut « {index} » est invalide pour la liste « {url} ».",
    en: 'Status index "{index}" is invalid for list "{url}".',
  },

  // ---- check outcomes ----
  'format.pass': { fr: 'Badge lu ({source}).', en: 'Credential read ({source}).' },
  'type.pass': { fr: 'C’est un badge Open Badges 3.0 ({type}).', en: 'This is an Open Badges 3.0 credential ({type}).' },
  'type.fail': {
    fr: "Ce n'est pas un badge Open Badges 3.0 (type {type}).",
    en: 'This is not an Open Badges 3.0 credential (type {type}).',
  },
  'type.noSubjectId': {
    fr: 'Badge {type}, mais non conforme : son titulaire n’a ni identifiant ni « identifier » (la norme en demande un). Cela ne dit rien de son authenticité.',
    en: '{type} credential, but not conformant: its subject has neither an id nor an identifier (the spec asks for one). This says nothing about its authenticity.',
  },
  'type.subjectList': {
    fr: 'Badge {type}, mais non conforme : il nomme une liste de titulaires, quand la norme en attend un seul. Cela ne dit rien de son authenticité.',
    en: '{type} credential, but not conformant: it names a list of subjects where the spec expects one. This says nothing about its authenticity.',
  },
  'type.context': {
    fr: 'Badge {type}, mais ses contextes JSON-LD ne suivent pas la norme (attendu : {expected} en tête). Cela ne dit rien de son authenticité.',
    en: '{type} credential, but its JSON-LD contexts do not follow the spec (expected {expected} first). This says nothing about its authenticity.',
  },
  'schema.pass': {
    fr: 'Conforme au schéma JSON officiel ({schema}).',
    en: 'Conforms to the official JSON schema ({schema}).',
  },
  'schema.fail': {
    fr: 'Non conforme au schéma JSON officiel, que le badge déclare pourtant (cela ne dit rien de son authenticité) : {detail}',
    en: 'Does not conform to the official JSON schema, which the credential itself declares (this says nothing about its authenticity): {detail}',
  },
  'schema.notDeclared': {
    fr: 'Écart au schéma JSON officiel (non bloquant, le badge ne le déclare pas) : {detail}',
    en: 'Departs from the official JSON schema (not fatal, the credential does not declare it): {detail}',
  },
  'schema.unknown': {
    fr: 'Schéma déclaré inconnu ({schema}) ; vérifié avec le schéma officiel OB 3.0 : {detail}',
    en: 'Declared schema unknown ({schema}); checked against the official OB 3.0 schema: {detail}',
  },
  'proof.pass': {
    fr: 'Signature valide ({kind}, clé {key}).',
    en: 'Valid signature ({kind}, key {key}).',
  },
  'proof.noNbf': {
    fr: 'Signature valide ({kind}, clé {key}) ; le JWT n’a pas de « nbf ».',
    en: 'Valid signature ({kind}, key {key}); the JWT has no "nbf" claim.',
  },
  'proof.claimMismatch': {
    fr: 'Signature valide ({kind}, clé {key}) ; mais la revendication JWT « {claim} » ne correspond pas au badge ({expected}) : défaut de conformance de l’émetteur, pas une falsification ; les dates du badge lui-même sont retenues.',
    en: 'Valid signature ({kind}, key {key}); but JWT claim "{claim}" does not match the credential ({expected}): the issuer’s conformance defect, not a forgery; the credential’s own dates are used.',
  },
  'provenance.pass': {
    fr: "La clé appartient bien à l'émetteur {issuer}.",
    en: 'The key belongs to the issuer {issuer}.',
  },
  'provenance.fail': {
    fr: "La clé n'appartient pas à l'émetteur {issuer} (elle dépend de {controller}).",
    en: 'The key does not belong to the issuer {issuer} (its controller is {controller}).',
  },
  'provenance.unknown': {
    fr: "Impossible de relier la clé à l'émetteur {issuer} : {detail}",
    en: 'The key could not be linked to the issuer {issuer}: {detail}',
  },
  'status.none': { fr: 'Aucun service de révocation déclaré.', en: 'No status service declared.' },
  'status.pass': { fr: 'Ni révoqué ni suspendu ({lists}).', en: 'Neither revoked nor suspended ({lists}).' },
  'status.passDelegated': {
    fr: 'Ni révoqué ni suspendu ({lists}). La liste est tenue par {keeper}, pas par l’émetteur lui-même : l’émetteur l’a désignée dans le badge qu’il a signé.',
    en: 'Neither revoked nor suspended ({lists}). The list is kept by {keeper}, not by the issuer itself: the issuer named it in the credential it signed.',
  },
  'status.revoked': { fr: 'Ce badge a été révoqué par son émetteur.', en: 'This credential was revoked by its issuer.' },
  'status.suspended': { fr: 'Ce badge est suspendu par son émetteur.', en: 'This credential is suspended by its issuer.' },
  'status.revokedDelegated': {
    fr: 'Ce badge a été révoqué (liste tenue par {keeper}, que l’émetteur a désignée dans le badge signé).',
    en: 'This credential was revoked (list kept by {keeper}, which the issuer named in the signed credential).',
  },
  'status.suspendedDelegated': {
    fr: 'Ce badge est suspendu (liste tenue par {keeper}, que l’émetteur a désignée dans le badge signé).',
    en: 'This credential is suspended (list kept by {keeper}, which the issuer named in the signed credential).',
  },
  'status.unreachable': {
    fr: 'Statut inconnu, donc badge non validé : {detail}',
    en: 'Status unknown, so the credential is not accepted: {detail}',
  },
  'status.unsupported': {
    fr: 'Type de statut non pris en charge ({type}) : badge non validé.',
    en: 'Unsupported status type ({type}): the credential is not accepted.',
  },
  'validity.pass': { fr: 'Valable depuis le {from}{until}.', en: 'Valid since {from}{until}.' },
  'validity.until': { fr: ", jusqu'au {until}", en: ', until {until}' },
  'validity.expired': { fr: 'Ce badge a expiré le {until}.', en: 'This credential expired on {until}.' },
  'validity.notYet': { fr: 'Ce badge ne sera valable qu’à partir du {from}.', en: 'This credential is not valid before {from}.' },
  'validity.badDate': { fr: 'Date illisible : « {value} » ; la période de validité n’a pas pu être contrôlée.', en: 'Unreadable date: "{value}"; the validity period could not be checked.' },
  'validity.noDate': { fr: "Le badge n'a pas de date de début de validité (validFrom), que la norme demande.", en: 'The credential has no validFrom date, which the standard asks for.' },
  'recipient.skip': { fr: 'Destinataire non contrôlé (aucune adresse donnée).', en: 'Recipient not checked (none given).' },
  'recipient.pass': { fr: 'Le badge a bien été délivré à {recipient}.', en: 'The credential was issued to {recipient}.' },
  'recipient.fail': { fr: "Le badge n'a pas été délivré à {recipient}.", en: 'The credential was not issued to {recipient}.' },
  'endorsements.none': { fr: 'Aucune recommandation (endorsement) jointe.', en: 'No embedded endorsements.' },
  'endorsements.pass': { fr: '{count} {count|recommandation vérifiée|recommandations vérifiées}.', en: '{count} {count|endorsement|endorsements} verified.' },
  'endorsements.warn': {
    fr: "{failed} {failed|recommandation|recommandations} sur {count} {failed|n'a pas pu être vérifiée|n'ont pas pu être vérifiées} (le badge lui-même reste valable) : {detail}",
    en: '{failed} of {count} {count|endorsement|endorsements} could not be verified (the credential itself stands): {detail}',
  },
  'ob2.format': { fr: 'Badge lu ({source}) : c’est l’ancien format Open Badges 2.0, vérifié selon ses propres règles.', en: 'Credential read ({source}): the older Open Badges 2.0 format, verified by its own rules.' },
  'ob2.type': { fr: 'Assertion Open Badges 2.0 : badge « {badge} », émetteur {issuer}.', en: 'Open Badges 2.0 assertion: badge "{badge}", issuer {issuer}.' },
  'ob2.schema': { fr: 'Pas de schéma JSON officiel à vérifier pour Open Badges 2.0.', en: 'No official JSON schema to check for Open Badges 2.0.' },
  'ob2.noVerification': { fr: 'Badge Open Badges 2.0 sans mode de vérification (« hosted » ou « signed ») : rien ne permet d’en établir l’authenticité.', en: 'Open Badges 2.0 badge without a verification type ("hosted" or "signed"): nothing establishes its authenticity.' },
  'ob2.signedWithoutJws': { fr: 'Ce badge Open Badges 2.0 est « signé », mais il est donné sans sa signature (JWS) : donnez le fichier ou l’image d’origine.', en: 'This Open Badges 2.0 badge is "signed", but was given without its signature (JWS): give the original file or image.' },
  'ob2.idMismatch': { fr: 'L’adresse du badge, {url}, renvoie un autre badge ({found}) : ce n’est pas celui qu’elle héberge.', en: 'The badge’s address, {url}, answers with another badge ({found}): it is not the one hosted there.' },
  'ob2.hosted': { fr: 'Badge hébergé : son adresse {url} renvoie bien ce badge.', en: 'Hosted badge: its address {url} answers with this badge.' },
  'ob2.hostedByIssuer': { fr: 'Hébergé là où l’émetteur {issuer} héberge ses badges.', en: 'Hosted where the issuer {issuer} hosts its badges.' },
  'ob2.hostedElsewhere': { fr: 'Le badge est hébergé à {url}, hors des adresses de l’émetteur {issuer} : il ne vient pas de lui.', en: 'The badge is hosted at {url}, outside the issuer {issuer}’s addresses: it does not come from it.' },
  'ob2.signed': { fr: 'Signature valide (JWS RS256, clé {key}).', en: 'Valid signature (JWS RS256, key {key}).' },
  'ob2.badSignature': { fr: 'La signature ne correspond pas à la clé {key} : le badge a été modifié ou la clé est fausse.', en: 'The signature does not match the key {key}: the badge was altered or the key is wrong.' },
  'ob2.keyOfIssuer': { fr: 'La clé appartient bien à l’émetteur {issuer}.', en: 'The key belongs to the issuer {issuer}.' },
  'ob2.keyNotIssuers': { fr: 'La clé {key} n’appartient pas à l’émetteur {issuer}.', en: 'The key {key} does not belong to the issuer {issuer}.' },
  'ob2.revoked': { fr: 'Ce badge a été révoqué par son émetteur (raison : {reason}).', en: 'This badge was revoked by its issuer (reason: {reason}).' },
  'ob2.gone': { fr: 'Ce badge a été retiré par son émetteur : son adresse {url} répond « supprimé » (HTTP 410).', en: 'This badge was withdrawn by its issuer: its address {url} answers "gone" (HTTP 410).' },
  'ob2.notRevoked': { fr: 'Absent de la liste de révocation de l’émetteur ({list}).', en: 'Not on the issuer’s revocation list ({list}).' },
  'ob2.hostedNotRevoked': { fr: 'Son émetteur l’héberge toujours et ne le dit pas révoqué.', en: 'Its issuer still hosts it and does not say it is revoked.' },
  'ob2.dates': { fr: 'Délivré le {from} ; pas de date de fin dépassée.', en: 'Issued on {from}; no end date passed.' },
  'ob2.endorsements': { fr: 'Recommandations non vérifiées pour Open Badges 2.0.', en: 'Endorsements not checked for Open Badges 2.0.' },
  'check.skipFormat': { fr: 'Non vérifié : le badge est illisible.', en: 'Not checked: the credential could not be read.' },
  'check.skipType': { fr: "Non vérifié : ce n'est pas un badge OB 3.0.", en: 'Not checked: not an OB 3.0 credential.' },
  'check.skipProof': { fr: 'Non vérifié : la signature est invalide.', en: 'Not checked: the signature is invalid.' },
  'check.skipInvalid': { fr: 'Non vérifié : le badge est invalide.', en: 'Not checked: the credential is invalid.' },

  // ---- verdicts ----
  'verdict.valid': { fr: 'Badge authentique et valable.', en: 'Genuine, valid credential.' },
  'verdict.invalid': { fr: 'Badge invalide.', en: 'Invalid credential.' },
  'verdict.expired': { fr: 'Badge authentique, mais expiré.', en: 'Genuine credential, but expired.' },
  'verdict.not-yet-valid': { fr: 'Badge authentique, pas encore valable.', en: 'Genuine credential, not yet valid.' },
  'verdict.revoked': { fr: 'Badge révoqué.', en: 'Revoked credential.' },
  'verdict.suspended': { fr: 'Badge suspendu.', en: 'Suspended credential.' },
  'verdict.unverifiable': { fr: 'Badge invérifiable pour le moment.', en: 'The credential cannot be verified now.' },
  'verdict.unsupported': { fr: 'Format de badge non pris en charge.', en: 'Unsupported badge format.' },
} satisfies Catalogue;

export type MessageKey = keyof typeof messages;
export type Params = Record<string, string | number>;

const pluralRules = { fr: new Intl.PluralRules('fr'), en: new Intl.PluralRules('en') };

/**
 * Fills `{name}` with its parameter, and `{name|one|other}` with the form the number calls for in
 * `lang` (French: 0 and 1 are singular), so no message needs "(s)".
 */
export function fillTemplate(template: string, params: Record<string, unknown>, lang: Lang = 'fr'): string {
  return template
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, other: string) =>
      (name in params ? (pluralRules[lang].select(Number(params[name])) === 'one' ? one : other) : whole))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Renders a catalogue entry in `lang`. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fillTemplate(messages[key][lang], params, lang);
}

/** Picks the language from a POSIX locale string such as `LANG=en_GB.UTF-8`; French by default. */
export function langFromLocale(locale: string | undefined): Lang {
  return locale && /^en\b|^en_/i.test(locale) ? 'en' : 'fr';
}

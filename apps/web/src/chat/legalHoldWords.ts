/** Why Delete is unavailable in a conversation whose patient is under a legal hold (REC-4). */
export const legalHoldWords = "Unavailable: the clinic keeps these records under a legal hold.";

namespace Vouch.MilterLoad;

/// <summary>What the server did with one transaction.</summary>
/// <param name="Outcome">Its final reply.</param>
/// <param name="Refused">The event the server refused or accepted early (e.g. 'R'), or null when the final reply came at the end of the message.</param>
/// <param name="Inserts">SMFIR_INSHEADER packets.</param>
/// <param name="Deletes">SMFIR_CHGHEADER packets with an empty value (deletions).</param>
/// <param name="ForgedDeleted">Deletions of the first Authentication-Results field: the forged one each message carries.</param>
/// <param name="OtherModifications">Any other modification packet (a changed value, SMFIR_ADDHEADER, recipient or body changes).</param>
/// <param name="Progress">SMFIR_PROGRESS packets.</param>
internal readonly record struct TransactionResult(MilterOutcome Outcome, char? Refused, int Inserts, int Deletes, int ForgedDeleted, int OtherModifications, int Progress);

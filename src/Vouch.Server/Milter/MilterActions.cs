namespace Vouch.Server.Milter;

/// <summary>What a milter may do to a message (mfapi.h, SMFIF_*), offered by the MTA and asked for in negotiation.</summary>
[Flags]
public enum MilterActions : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SMFIF_ADDHDRS: add and insert header fields.</summary>
    AddHeaders = 0x01,

    /// <summary>SMFIF_CHGBODY.</summary>
    ChangeBody = 0x02,

    /// <summary>SMFIF_ADDRCPT.</summary>
    AddRecipient = 0x04,

    /// <summary>SMFIF_DELRCPT.</summary>
    DeleteRecipient = 0x08,

    /// <summary>SMFIF_CHGHDRS: change and delete header fields.</summary>
    ChangeHeaders = 0x10,

    /// <summary>SMFIF_QUARANTINE.</summary>
    Quarantine = 0x20,

    /// <summary>SMFIF_CHGFROM.</summary>
    ChangeFrom = 0x40,

    /// <summary>SMFIF_ADDRCPT_PAR.</summary>
    AddRecipientWithParameters = 0x80,

    /// <summary>SMFIF_SETSYMLIST: name the macros wanted at each stage in the negotiation reply.</summary>
    SetMacroLists = 0x100,
}

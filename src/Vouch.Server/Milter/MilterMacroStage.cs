namespace Vouch.Server.Milter;

/// <summary>The stages a milter names macros for in its negotiation reply (mfapi.h, SMFIM_*); end of message comes before end of header in the numbering.</summary>
public enum MilterMacroStage : uint
{
    /// <summary>SMFIM_CONNECT.</summary>
    Connect = 0,

    /// <summary>SMFIM_HELO.</summary>
    Helo = 1,

    /// <summary>SMFIM_ENVFROM.</summary>
    EnvelopeFrom = 2,

    /// <summary>SMFIM_ENVRCPT.</summary>
    EnvelopeRecipient = 3,

    /// <summary>SMFIM_DATA.</summary>
    Data = 4,

    /// <summary>SMFIM_EOM.</summary>
    EndOfMessage = 5,

    /// <summary>SMFIM_EOH.</summary>
    EndOfHeaders = 6,
}

namespace Vouch.Reputation;

/// <summary>Which reputation store.</summary>
public enum ReputationStoreKind
{
    /// <summary>SQLite: one host, no setup.</summary>
    Sqlite,

    /// <summary>Redis or Valkey: a fleet of MX hosts sharing one store.</summary>
    Redis,
}

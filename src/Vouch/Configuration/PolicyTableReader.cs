using Vouch.Policy;

namespace Vouch.Configuration;

/// <summary>Reads [policy]: the action shortcuts that change or add rows of the default decision table, or the [[policy.rules]] that replace it.</summary>
internal static class PolicyTableReader
{
    /// <summary>The shortcuts that set the action of a row of the default table.</summary>
    public static IReadOnlyList<(string Key, RuleCondition When)> Shortcuts { get; } =
    [
        ("softfail_action", RuleCondition.SpfSoftFail),
        ("neutral_action", RuleCondition.SpfNeutral),
        ("none_action", RuleCondition.SpfNone),
        ("permerror_action", RuleCondition.SpfPermError),
    ];

    /// <summary>Rows the default table lacks: each shortcut adds its row, with its action, after the allow list, in this order.</summary>
    public static IReadOnlyList<(string Key, DecisionRule Row)> AddedRows { get; } =
    [
        ("client_unreadable_action", DecisionTable.ClientUnreadable),
        .. DecisionTable.IdentityRows.Select(row => (row.When.ToToken() + "_action", row)),
    ];

    /// <summary>Reads the decision table from [policy]: the default table changed by the shortcuts, or the [[policy.rules]].</summary>
    public static IReadOnlyList<DecisionRule> ReadRules(TableReader policy)
    {
        var ruleTables = policy.TableList(ConfigurationSchema.Rules);
        IReadOnlyList<DecisionRule> rules = DecisionTable.Default;
        if (ruleTables is null)
        {
            foreach (var (key, when) in Shortcuts)
            {
                if (policy.Has(key))
                {
                    var action = policy.Word(key, PolicyAction.Reject, ConfigurationWords.Actions);
                    rules = [.. rules.Select(rule => rule.When == when ? WithAction(rule, action) : rule)];
                }
            }

            var afterAllowList = 0;
            while (afterAllowList < rules.Count && rules[afterAllowList].When == RuleCondition.AllowListed)
            {
                afterAllowList++;
            }

            var added = new List<DecisionRule>();
            foreach (var (key, row) in AddedRows)
            {
                if (policy.Has(key))
                {
                    added.Add(WithAction(row, policy.Word(key, row.Action, ConfigurationWords.Actions)));
                }
            }

            if (added.Count > 0)
            {
                rules = [.. rules.Take(afterAllowList), .. added, .. rules.Skip(afterAllowList)];
            }
        }
        else
        {
            foreach (var key in Shortcuts.Select(shortcut => shortcut.Key).Concat(AddedRows.Select(row => row.Key)))
            {
                if (policy.Has(key))
                {
                    throw policy.Error(key, "changes a row of the default table, which [[policy.rules]] replaces; give the action in the rule instead");
                }
            }

            rules = ReadTable(ruleTables, policy);
        }

        return rules;
    }

    // A softened action keeps the row's verdict and reason; only the status code follows the action.
    private static DecisionRule WithAction(DecisionRule rule, PolicyAction action) => rule with
    {
        Action = action,
        StatusCode = action switch
        {
            PolicyAction.Accept or PolicyAction.Tag => "",
            _ when rule.StatusCode.Length == 0 => "",
            PolicyAction.Defer => "4" + rule.StatusCode[1..],
            _ => "5" + rule.StatusCode[1..],
        },
    };

    private static List<DecisionRule> ReadTable(IReadOnlyList<TableReader> tables, TableReader policy)
    {
        var rules = new List<DecisionRule>(tables.Count);
        foreach (var table in tables)
        {
            if (rules.Count > 0 && rules[^1].When == RuleCondition.Always)
            {
                throw table.Error("when", "can never apply: the rule before it is 'always'; 'always' must be the last rule");
            }

            var action = table.RequiredWord("action", ConfigurationWords.Actions);
            var code = table.OptionalString("code") ?? "";
            if (!EnhancedStatusCodeText.TryCheck(code, action, out var problem))
            {
                throw table.Error("code", problem);
            }

            rules.Add(new DecisionRule(
                When: table.RequiredWord("when", ConfigurationWords.Conditions),
                Verdict: table.RequiredWord("verdict", ConfigurationWords.Verdicts),
                Action: action,
                StatusCode: code,
                Reason: table.RequiredString<string>("reason", "the text given to the client and logged", SettingText.TryParseReason)));
        }

        if (rules.Count == 0)
        {
            throw policy.Error("rules", "has no rules; the last rule must be 'always' so every request gets a verdict");
        }

        if (rules[^1].When != RuleCondition.Always)
        {
            throw tables[^1].Error("when", "the last rule must be 'always' so every request gets a verdict");
        }

        return rules;
    }
}

using Xunit.Abstractions;

namespace Vouch.Tests.Conformance;

/// <summary>The name of a suite case, as theory data: each case becomes its own test, named after it.</summary>
public sealed class SuiteCaseName : IXunitSerializable
{
    public SuiteCaseName()
    {
        Name = "";
    }

    public SuiteCaseName(string name)
    {
        Name = name;
    }

    public string Name { get; private set; }

    public void Deserialize(IXunitSerializationInfo info) => Name = info.GetValue<string>(nameof(Name));

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Name), Name);

    public override string ToString() => Name;
}

namespace Vouch.Configuration;

/// <summary>Reads a setting's text into a value, or says what is wrong with it and what was expected.</summary>
/// <typeparam name="T">The value read.</typeparam>
/// <param name="text">The string as written in the file.</param>
/// <param name="value">The value, when the text is good.</param>
/// <param name="problem">What is wrong and what was expected, when it is not.</param>
internal delegate bool TextParser<T>(string text, out T value, out string problem);

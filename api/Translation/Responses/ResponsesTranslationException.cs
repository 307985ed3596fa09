namespace Gateway.Api.Translation.Responses;

/// <summary>
/// The Anthropic request cannot be expressed as a Responses request; the caller answers 400
/// <c>invalid_request_error</c> with <see cref="Exception.Message"/> (e.g. SPEC §12: a tool search result naming an
/// unknown tool). Whatever was already written to the upstream body must be discarded.
/// </summary>
public sealed class ResponsesTranslationException(string message) : Exception(message);

using System.Net.Http.Headers;
using Gateway.Grains.Options;

namespace Gateway.Grains.GitHub;

/// <summary>The per-account values that go into Copilot headers (SPEC §2.4).</summary>
public sealed record CopilotHeaderContext(string BaseUrl, string Token, string MachineId, string DeviceId, string VscodeSessionId);

/// <summary>
/// Builds the Copilot request headers of SPEC §2.4. Generation requests add the per-request values
/// (<c>x-request-id</c>, <c>x-initiator</c>, <c>x-interaction-*</c>, vision) on top of <see cref="ApplyCommon"/>.
/// </summary>
public static class CopilotHeaders
{
    public const string IntegrationId = "vscode-chat";

    /// <summary>Headers shared by every Copilot call of an account (vscode OAuth app).</summary>
    public static void ApplyCommon(HttpRequestHeaders headers, CopilotHeaderContext account, CopilotOptions copilot, string editorVersion)
    {
        headers.TryAddWithoutValidation("authorization", "Bearer " + account.Token);
        headers.TryAddWithoutValidation("copilot-integration-id", IntegrationId);
        headers.TryAddWithoutValidation("editor-version", "vscode/" + editorVersion);
        headers.TryAddWithoutValidation("editor-plugin-version", "copilot-chat/" + copilot.ChatVersion);
        headers.TryAddWithoutValidation("user-agent", "GitHubCopilotChat/" + copilot.ChatVersion);
        headers.TryAddWithoutValidation("editor-device-id", account.DeviceId);
        headers.TryAddWithoutValidation("x-github-api-version", copilot.ApiVersion);
        headers.TryAddWithoutValidation("x-vscode-user-agent-library-version", "electron-fetch");
        headers.TryAddWithoutValidation("vscode-machineid", account.MachineId);
        headers.TryAddWithoutValidation("vscode-sessionid", account.VscodeSessionId);
    }

    /// <summary><c>GET /models</c>: intent and interaction type <c>model-access</c>, no <c>x-interaction-id</c>.</summary>
    public static void ApplyModelsHeaders(HttpRequestHeaders headers, CopilotHeaderContext account, CopilotOptions copilot, string editorVersion, bool opencode)
    {
        if (opencode)
        {
            headers.TryAddWithoutValidation("authorization", "Bearer " + account.Token);
            headers.TryAddWithoutValidation("user-agent", "opencode/" + OpencodeVersion);
            headers.TryAddWithoutValidation("openai-intent", "model-access");
            headers.TryAddWithoutValidation("accept", "application/json");
            return;
        }
        ApplyCommon(headers, account, copilot, editorVersion);
        headers.TryAddWithoutValidation("openai-intent", "model-access");
        headers.TryAddWithoutValidation("x-interaction-type", "model-access");
        var id = Guid.NewGuid().ToString();
        headers.TryAddWithoutValidation("x-request-id", id);
        headers.TryAddWithoutValidation("x-agent-task-id", id);
    }

    /// <summary>Pinned default for <c>copilot.opencodeVersion</c>.</summary>
    public const string OpencodeVersion = "1.0.150";
}

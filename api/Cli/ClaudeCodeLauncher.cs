using System.Diagnostics;
using Gateway.Api.Catalog;

namespace Gateway.Api.Cli;

/// <summary>
/// <c>--claude-code true</c> (SPEC §1.5): pick a main and a small model from the catalogue, then print — and try to
/// copy to the clipboard — a <c>claude</c> command that points Claude Code at this gateway.
/// </summary>
public static class ClaudeCodeLauncher
{
    /// <summary>The command line, with the environment SPEC §1.5 lists, in that order.</summary>
    public static string Command(string baseUrl, string authToken, string mainModel, string smallModel)
        => string.Join(' ',
            $"ANTHROPIC_BASE_URL={Quote(baseUrl)}",
            $"ANTHROPIC_AUTH_TOKEN={Quote(authToken)}",
            $"ANTHROPIC_MODEL={Quote(mainModel)}",
            $"ANTHROPIC_DEFAULT_SONNET_MODEL={Quote(mainModel)}",
            $"ANTHROPIC_SMALL_FAST_MODEL={Quote(smallModel)}",
            $"ANTHROPIC_DEFAULT_HAIKU_MODEL={Quote(smallModel)}",
            "DISABLE_NON_ESSENTIAL_MODEL_CALLS=1",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
            "claude");

    /// <summary>
    /// Defaults offered to the user: the newest Claude Sonnet (else Opus, else any Claude, else the first chat model)
    /// as main; the configured small model when served, else the newest Haiku, else the main model.
    /// </summary>
    public static (string Main, string Small) Defaults(IReadOnlyList<ModelInfo> models, string configuredSmallModel)
    {
        var chat = models.Where(m => m.Type is null or "chat").ToList();
        string? Newest(string prefix) => chat.Where(m => m.Id.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => m.Id).OrderByDescending(id => id, StringComparer.Ordinal).FirstOrDefault();
        var main = Newest("claude-sonnet") ?? Newest("claude-opus") ?? Newest("claude") ?? chat.FirstOrDefault()?.Id ?? "claude-sonnet-4.5";
        var small = chat.Any(m => m.Id == configuredSmallModel) ? configuredSmallModel : Newest("claude-haiku") ?? main;
        return (main, small);
    }

    /// <summary>Asks for a model by number or id; an empty answer (or no interactive console) keeps the default.</summary>
    public static string Ask(TextReader input, TextWriter output, string what, IReadOnlyList<ModelInfo> models, string fallback)
    {
        output.Write($"{what} model [{fallback}]: ");
        var answer = input.ReadLine()?.Trim();
        if (string.IsNullOrEmpty(answer))
        {
            return fallback;
        }
        if (int.TryParse(answer, out var number) && number >= 1 && number <= models.Count)
        {
            return models[number - 1].Id;
        }
        return models.Any(m => m.Id == answer) ? answer : fallback;
    }

    /// <summary>Best effort: the first clipboard tool found on PATH gets the command; false when none worked.</summary>
    public static bool TryCopyToClipboard(string text)
    {
        (string File, string Args)[] tools = OperatingSystem.IsMacOS() ? [("pbcopy", "")]
            : OperatingSystem.IsWindows() ? [("clip.exe", "")]
            : [("wl-copy", ""), ("xclip", "-selection clipboard"), ("xsel", "--clipboard --input")];
        foreach (var (file, args) in tools)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardInput = true, UseShellExecute = false });
                if (process is null)
                {
                    continue;
                }
                process.StandardInput.Write(text);
                process.StandardInput.Close();
                if (process.WaitForExit(2000) && process.ExitCode == 0)
                {
                    return true;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next one.
            }
        }
        return false;
    }

    private static string Quote(string value)
        => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':') ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Text;

namespace Gateway.Benchmarks.Reporting;

/// <summary>
/// A table rendered either as aligned plain text for the console or as a Markdown pipe table for the README. The
/// first <paramref name="textColumns"/> columns are labels (left-aligned), the rest numbers (right-aligned).
/// </summary>
public sealed class TextTable(int textColumns, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Columns padded to their widest cell.</summary>
    public string ToText()
    {
        var widths = new int[headers.Length];
        foreach (var row in _rows.Prepend(headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        void Line(string[] row)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == 0 ? "" : "  ").Append(i < textColumns ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
            }

            text.Append('\n');
        }

        Line(headers);
        text.Append(new string('-', widths.Sum() + 2 * (widths.Length - 1))).Append('\n');
        foreach (var row in _rows)
        {
            Line(row);
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        text.Append(string.Concat(Enumerable.Range(0, headers.Length).Select(i => i < textColumns ? "|---" : "|--:"))).Append("|\n");
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        }

        return text.ToString();
    }
}

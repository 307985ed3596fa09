namespace Gateway.Api.Responses;

/// <summary>
/// Byte-range edits of a JSON body, applied in one copy: every byte outside an edited range is copied as it came
/// (whitespace, escapes and number formats included), so a sanitised body differs from the client's only where a
/// rule of SPEC §11.2 changed it. Ranges never overlap; a zero-length range is an insertion.
/// </summary>
internal sealed class BodySplices
{
    private readonly List<Splice> _splices = [];

    public int Count => _splices.Count;

    public void Replace(int start, int end, ReadOnlySpan<byte> bytes) => _splices.Add(new Splice(start, end, bytes.ToArray(), _splices.Count));

    public void Insert(int at, ReadOnlySpan<byte> bytes) => Replace(at, at, bytes);

    public void Remove(int start, int end)
    {
        if (end > start)
        {
            _splices.Add(new Splice(start, end, [], _splices.Count));
        }
    }

    /// <summary>Forgets the edits made since <paramref name="count"/> edits existed (their region is rewritten whole).</summary>
    public void TruncateTo(int count) => _splices.RemoveRange(count, _splices.Count - count);

    /// <summary>Forgets the edits numbered <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive): their region is dropped.</summary>
    public void RemoveEdits(int from, int to) => _splices.RemoveRange(from, to - from);

    /// <summary>
    /// Removes the members (array elements or object properties, each from its first to its last byte) for which
    /// <paramref name="drop"/> is true, with the separators that go with them, so the container stays valid JSON.
    /// </summary>
    public void RemoveMembers(IReadOnlyList<(int Start, int End)> members, Func<int, bool> drop)
    {
        var lastKept = -1;
        for (var i = members.Count - 1; i >= 0; i--)
        {
            if (!drop(i))
            {
                lastKept = i;
                break;
            }
        }
        if (lastKept < 0)
        {
            if (members.Count > 0)
            {
                Remove(members[0].Start, members[^1].End);
            }
            return;
        }
        // A dropped member before the last kept one goes with the separator after it; the dropped tail goes with the
        // separator before it.
        for (var i = 0; i < lastKept; i++)
        {
            if (drop(i))
            {
                Remove(members[i].Start, members[i + 1].Start);
            }
        }
        if (lastKept < members.Count - 1)
        {
            Remove(members[lastKept].End, members[^1].End);
        }
    }

    public byte[] Apply(ReadOnlySpan<byte> body)
    {
        // Insertions sort before a replacement that starts at the same offset; otherwise edits keep their order.
        _splices.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.End != b.End ? a.End.CompareTo(b.End)
            : a.Order.CompareTo(b.Order));
        var length = body.Length;
        foreach (var splice in _splices)
        {
            length += splice.Bytes.Length - (splice.End - splice.Start);
        }
        var output = new byte[length];
        var source = 0;
        var target = 0;
        foreach (var splice in _splices)
        {
            body[source..splice.Start].CopyTo(output.AsSpan(target));
            target += splice.Start - source;
            splice.Bytes.CopyTo(output.AsSpan(target));
            target += splice.Bytes.Length;
            source = splice.End;
        }
        body[source..].CopyTo(output.AsSpan(target));
        return output;
    }

    private readonly record struct Splice(int Start, int End, byte[] Bytes, int Order);
}

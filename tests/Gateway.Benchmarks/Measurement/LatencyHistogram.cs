using System.Numerics;

namespace Gateway.Benchmarks.Measurement;

/// <summary>
/// A log-linear histogram of durations in nanoseconds, in the manner of HdrHistogram: values below 128 ns get a
/// bucket each, above that every power of two is cut into 64 equal buckets, so any recorded value is known to within
/// 1/64 (1.6 %) whatever its size. Recording is one array increment; one instance per load connection, merged at the
/// end, so no locking is needed.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearBits = 7;
    private const int LinearCount = 1 << LinearBits;
    private const int SubBucketBits = LinearBits - 1;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int BucketCount = LinearCount + (63 - LinearBits + 1) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];
    private long _max;

    public long Count { get; private set; }

    public void Record(long nanoseconds)
    {
        var value = Math.Max(nanoseconds, 0);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > _max)
        {
            _max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>The value at <paramref name="quantile"/> (0..1) as a bucket midpoint, or null when nothing was recorded.</summary>
    public TimeSpan? Percentile(double quantile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var (low, width) = RangeOf(i);
                return FromNanoseconds(Math.Min(low + width / 2, _max));
            }
        }

        return FromNanoseconds(_max);
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearCount)
        {
            return (int)value;
        }

        // The top seven bits of the value pick the bucket: the exponent says which power of two, the next six bits
        // which sixty-fourth of it.
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBucketBits;
        var sub = (int)(value >> shift) - SubBucketCount;
        return LinearCount + (shift - 1) * SubBucketCount + sub;
    }

    internal static (long Low, long Width) RangeOf(int index)
    {
        if (index < LinearCount)
        {
            return (index, 1);
        }

        var shift = (index - LinearCount) / SubBucketCount + 1;
        var sub = (index - LinearCount) % SubBucketCount + SubBucketCount;
        return ((long)sub << shift, 1L << shift);
    }

    private static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);
}

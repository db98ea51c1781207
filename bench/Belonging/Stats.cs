using System.Globalization;

/// <summary>Latencies in milliseconds, summarised as the results print them.</summary>
sealed class Stats(IEnumerable<double> samples)
{
    readonly double[] _sorted = [.. samples.Order()];

    public int Count => _sorted.Length;
    public double P50 => At(0.50);
    public double P99 => At(0.99);
    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>Nearest rank.</summary>
    public double At(double q) => _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(q * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"n={Count} p50_ms={P50:0.00} p99_ms={P99:0.00} max_ms={Max:0.00}");
}

namespace Gateway.Api.Pricing;

/// <summary>A request's cost in nano-units (10⁻⁹) of <see cref="Currency"/>.</summary>
public readonly record struct RequestCost(string Currency, long Nanos);

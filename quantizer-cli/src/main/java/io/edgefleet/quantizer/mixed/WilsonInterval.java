package io.edgefleet.quantizer.mixed;

/**
 * A binomial proportion with its Wilson score interval (better behaved than the normal approximation for small
 * samples and proportions near 0 or 1).
 *
 * @param successes successes
 * @param trials trials (&gt;= successes)
 * @param low lower bound of the interval
 * @param high upper bound of the interval
 * @param z the normal quantile used (1.96 for 95 %)
 */
public record WilsonInterval(long successes, long trials, double low, double high, double z) {

    /** The 95 % interval (z = 1.959964). */
    public static WilsonInterval of95(long successes, long trials) {
        return of(successes, trials, 1.959963984540054);
    }

    /** The Wilson interval at normal quantile {@code z}; with 0 trials the interval is [0, 1]. */
    public static WilsonInterval of(long successes, long trials, double z) {
        if (successes < 0 || trials < successes || !(z > 0)) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "need 0 <= successes <= trials and z > 0");
        }
        if (trials == 0) {
            return new WilsonInterval(0, 0, 0, 1, z);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(successes, trials, Math.max(0, centre - half), Math.min(1, centre + half), z);
    }

    /** successes / trials (NaN with 0 trials). */
    public double proportion() {
        return trials == 0 ? Double.NaN : successes / (double) trials;
    }
}

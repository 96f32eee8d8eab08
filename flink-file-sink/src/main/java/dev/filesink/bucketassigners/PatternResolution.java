package dev.filesink.bucketassigners;

import java.time.temporal.ChronoUnit;

/**
 * The finest time unit a date-time pattern prints, so that a formatted value can be reused for every instant of
 * that unit. Units no larger than a day are exact (time zones shift by whole minutes at least on these bounds);
 * patterns with anything coarser or unusual fall back to milliseconds, which is always correct.
 */
final class PatternResolution {

    private PatternResolution() {}

    static ChronoUnit finestUnit(String pattern) {
        ChronoUnit finest = ChronoUnit.DAYS;
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                continue;
            }
            if (quoted || !Character.isLetter(c)) {
                continue;
            }
            ChronoUnit unit = unitOf(c);
            if (unit.compareTo(finest) < 0) {
                finest = unit;
            }
        }
        return finest;
    }

    private static ChronoUnit unitOf(char letter) {
        switch (letter) {
            case 'y': case 'u': case 'Y': case 'M': case 'L': case 'd': case 'D': case 'Q': case 'q': case 'w': case 'W':
            case 'E': case 'e': case 'c': case 'G': case 'F':
                return ChronoUnit.DAYS;
            case 'H': case 'k': case 'K': case 'h': case 'a': case 'B':
                return ChronoUnit.HOURS;
            case 'm':
                return ChronoUnit.MINUTES;
            case 's':
                return ChronoUnit.SECONDS;
            default:
                // Fractions, zone names, offsets and anything unknown: never reuse across milliseconds.
                return ChronoUnit.MILLIS;
        }
    }
}

package dev.filesink.e2e;

import java.util.ArrayList;
import java.util.List;

/** The example job's command line, built option by option. */
public final class ExampleJobArgs {

    private final List<String> args = new ArrayList<>();

    public static ExampleJobArgs create() {
        return new ExampleJobArgs();
    }

    public ExampleJobArgs set(String option, Object value) {
        args.add("--" + option);
        args.add(String.valueOf(value));
        return this;
    }

    public ExampleJobArgs destination(Object destination) {
        return set("destination", destination);
    }

    public ExampleJobArgs records(long count) {
        return set("records", count);
    }

    public ExampleJobArgs rate(double perSecond) {
        return set("rate", (long) perSecond);
    }

    public ExampleJobArgs checkpointInterval(String interval) {
        return set("checkpoint-interval", interval);
    }

    public ExampleJobArgs buckets(int buckets) {
        return set("buckets", buckets);
    }

    public ExampleJobArgs mode(String mode) {
        return set("mode", mode);
    }

    public List<String> toList() {
        return List.copyOf(args);
    }
}

package dev.filesink.e2e.soak;

import dev.filesink.e2e.ExampleJobArgs;

import java.util.List;
import java.util.Map;

/** One storage the soak run writes to, as the run sees it: behind a fault proxy for the job, directly for checks. */
interface SoakStore {

    /** Short name: "s3" or "azure". */
    String name();

    /** The sink destination, through the fault proxy. */
    String destination();

    StorageFaultProxy proxy();

    /** The job's storage options added to the common ones. */
    ExampleJobArgs args(ExampleJobArgs common);

    /** Finished (visible) files below the destination with their sizes, listed directly (not through the proxy). */
    Map<String, Long> finished();

    /** Every line of every finished file. */
    List<String> lines();

    /** What is left besides finished files, once the job has ended. */
    Leftovers leftovers();

    /**
     * What a storage holds besides finished files. {@code leaks} must be empty; {@code expiring} are things the
     * storage removes by itself (Azure: blobs with only uncommitted blocks, discarded after 7 days).
     */
    record Leftovers(List<String> leaks, List<String> expiring, String summary) {}
}

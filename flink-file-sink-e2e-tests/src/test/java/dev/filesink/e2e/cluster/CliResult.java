package dev.filesink.e2e.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code flink} CLI call printed, and its exit code. */
public record CliResult(String command, int exitCode, String output) {

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SUBMITTED_JOB = Pattern.compile("Submitted job ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The id of the job the call submitted (Flink's "JobID ..." line or the example job's own). */
    public Optional<String> jobId() {
        Matcher flink = JOB_ID.matcher(output);
        if (flink.find()) {
            return Optional.of(flink.group(1));
        }
        Matcher example = SUBMITTED_JOB.matcher(output);
        return example.find() ? Optional.of(example.group(1)) : Optional.empty();
    }

    /** The savepoint a "stop" call took. */
    public Optional<String> savepointPath() {
        Matcher matcher = SAVEPOINT.matcher(output);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "$ " + command + "\n(exit code " + exitCode + ")\n" + output;
    }
}

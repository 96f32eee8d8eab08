package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The built-in policy that writes a success file (default {@code _SUCCESS}) into a complete partition, once: empty,
 * or with a JSON summary of the announcement (its files, their records, bytes, event time range, and the same totals
 * over all of the partition's announcements). Idempotent: an existing file with
 * the same content is what an earlier attempt wrote; one with other content fails loudly, naming it.
 *
 * <p>For later announcements (late records were written) the file is named {@code <name>.<announcement>}, for
 * example {@code _SUCCESS.2}: the first one is never overwritten.
 */
public final class SuccessFile implements PartitionCommitPolicy {

    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_NAME = "_SUCCESS";

    private final String fileName;
    private final boolean withContent;
    private transient PolicyContext context;

    private SuccessFile(String fileName, boolean withContent) {
        if (fileName == null || fileName.isEmpty() || fileName.contains("/")) {
            throw new IllegalArgumentException("success file name must be a plain file name, was '" + fileName + "'");
        }
        this.fileName = fileName;
        this.withContent = withContent;
    }

    /** An empty {@code _SUCCESS} file. */
    public static SuccessFile create() {
        return new SuccessFile(DEFAULT_NAME, false);
    }

    /** An empty success file of this name. */
    public static SuccessFile named(String fileName) {
        return new SuccessFile(fileName, false);
    }

    /** The same file with a JSON summary of the partition as its content. */
    public SuccessFile withJsonContent() {
        return new SuccessFile(fileName, true);
    }

    public String fileName() {
        return fileName;
    }

    /** {@code success-file}, or {@code success-file-<file name>} for another name (two success files may coexist). */
    @Override
    public String name() {
        return DEFAULT_NAME.equals(fileName) ? "success-file" : "success-file-" + fileName;
    }

    @Override
    public void open(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void commit(CommittedPartition partition) throws IOException {
        String name = partition.announcement() == 1 ? fileName : fileName + "." + partition.announcement();
        String relative = partition.bucketId().isEmpty() ? name : partition.bucketId() + "/" + name;
        byte[] content = withContent
                ? PartitionJson.of(partition).getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (context.createFileOnce(relative, content)) {
            return;
        }
        Optional<byte[]> existing = context.readFile(relative);
        if (existing.isEmpty() || !Arrays.equals(existing.get(), content)) {
            throw new IOException("Success file " + new Path(context.basePath(), relative)
                    + " exists with other content than this job would write; not overwriting it (another job or run"
                    + " writes into the same partition?)");
        }
    }

    @Override
    public String toString() {
        return "SuccessFile{" + fileName + (withContent ? ", with JSON content" : "") + '}';
    }
}

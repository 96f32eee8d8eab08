package dev.filesink.storage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Finds the hidden in-progress file behind a recoverable of Flink's local or Hadoop recoverable writer. Both keep
 * it behind a public {@code tempFile()} accessor on an internal class, so it is read reflectively.
 */
final class InProgressFiles {

    private InProgressFiles() {}

    /**
     * The hidden file, or empty for a recoverable that has no {@code tempFile()} (a file system whose writer keeps
     * no hidden sibling). A recoverable that has one but cannot be read fails: without it a commit could not tell
     * its own earlier commit from a file it did not write.
     */
    static Optional<Path> tempFileOf(RecoverableWriter.CommitRecoverable recoverable) throws IOException {
        Method accessor;
        try {
            accessor = recoverable.getClass().getMethod("tempFile");
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
        try {
            accessor.setAccessible(true);
            Object temp = accessor.invoke(recoverable);
            if (temp instanceof File) {
                return Optional.of(new Path(((File) temp).toURI()));
            }
            return temp == null ? Optional.empty() : Optional.of(new Path(temp.toString()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("Cannot read the in-progress file of a pending part file ("
                    + recoverable.getClass().getName() + "): " + e, e);
        }
    }
}

package dev.filesink.storage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.File;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Finds the hidden in-progress file behind a recoverable of Flink's local or Hadoop recoverable writer. Both keep
 * it behind a public {@code tempFile()} accessor on an internal class, so it is read reflectively.
 */
final class InProgressFiles {

    private InProgressFiles() {}

    static Optional<Path> tempFileOf(RecoverableWriter.CommitRecoverable recoverable) {
        try {
            Method accessor = recoverable.getClass().getMethod("tempFile");
            accessor.setAccessible(true);
            Object temp = accessor.invoke(recoverable);
            if (temp instanceof File) {
                return Optional.of(new Path(((File) temp).toURI()));
            }
            return temp == null ? Optional.empty() : Optional.of(new Path(temp.toString()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

package dev.filesink.compaction;

import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.IdenticalFileCompactor;

import javax.annotation.Nullable;

import java.lang.reflect.Field;
import java.util.Optional;

/**
 * Recognizes Flink's compactors that only concatenate bytes, so a storage may do their work in the store. Only the
 * exact classes: a subclass may change what they write. A delimiter that cannot be read (Flink changed the class)
 * makes the compactor run as written, through the task manager, which is always correct.
 */
final class ByteConcatenation {

    /** How a byte-concatenating compactor joins its inputs: each input followed by {@code delimiter} if not null. */
    record Delimiter(@Nullable byte[] bytes) {}

    private ByteConcatenation() {}

    static Optional<Delimiter> of(FileCompactor compactor) {
        if (compactor.getClass() == IdenticalFileCompactor.class) {
            return Optional.of(new Delimiter(null));
        }
        if (compactor.getClass() != ConcatFileCompactor.class) {
            return Optional.empty();
        }
        try {
            Field field = ConcatFileCompactor.class.getDeclaredField("fileDelimiter");
            field.setAccessible(true);
            byte[] delimiter = (byte[]) field.get(compactor);
            return Optional.of(new Delimiter(delimiter == null || delimiter.length == 0 ? null : delimiter.clone()));
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}

package dev.filesink.takeover;

import dev.filesink.storage.LengthAwareRecoverable;

import org.apache.flink.core.fs.Path;

import java.io.File;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the target file and the persisted length of a recoverable of Flink's local or Hadoop recoverable writer,
 * which both keep them behind public {@code targetFile()} and {@code offset()} accessors on internal classes, or of a
 * storage's own {@link LengthAwareRecoverable}. Used
 * only where Flink's older state formats did not store them beside the recoverable.
 */
final class RecoverableAccessors {

    private RecoverableAccessors() {}

    static Optional<Path> targetOf(Object recoverable) {
        Object target = invoke(recoverable, "targetFile");
        if (target instanceof File) {
            return Optional.of(new Path(((File) target).toURI()));
        }
        return target == null ? Optional.empty() : Optional.of(new Path(target.toString()));
    }

    static OptionalLong offsetOf(Object recoverable) {
        if (recoverable instanceof LengthAwareRecoverable sized) {
            return OptionalLong.of(sized.persistedLength());
        }
        Object offset = invoke(recoverable, "offset");
        return offset instanceof Long ? OptionalLong.of((Long) offset) : OptionalLong.empty();
    }

    private static Object invoke(Object recoverable, String accessor) {
        try {
            Method method = recoverable.getClass().getMethod(accessor);
            method.setAccessible(true);
            return method.invoke(recoverable);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

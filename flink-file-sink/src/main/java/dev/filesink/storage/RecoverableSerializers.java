package dev.filesink.storage;


import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The storage's serializers for recoverables, looked up on first use: opening storage is only possible on the task
 * managers, while serializers are also created where the job is built.
 */
public final class RecoverableSerializers {

    private final PartFileStorage storage;
    private final Path basePath;
    private volatile RecoverableWriter writer;

    public RecoverableSerializers(PartFileStorage storage, Path basePath) {
        this.storage = storage;
        this.basePath = basePath;
    }

    /** The sink's base path. */
    public Path basePath() {
        return basePath;
    }

    /** The storage and base path, for error messages. */
    public String describeStorage() {
        return storage.getClass().getSimpleName() + " at '" + basePath + "'";
    }

    public SimpleVersionedSerializer<RecoverableWriter.CommitRecoverable> commitRecoverables() {
        return writer().getCommitRecoverableSerializer();
    }

    public SimpleVersionedSerializer<RecoverableWriter.ResumeRecoverable> resumeRecoverables() {
        return writer().getResumeRecoverableSerializer();
    }

    private RecoverableWriter writer() {
        RecoverableWriter result = writer;
        if (result == null) {
            synchronized (this) {
                if (writer == null) {
                    try {
                        StorageSession session = storage.open(basePath);
                        writer = session.recoverableWriter();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                result = writer;
            }
        }
        return result;
    }
}

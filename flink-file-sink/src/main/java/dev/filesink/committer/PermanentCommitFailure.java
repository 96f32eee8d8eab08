package dev.filesink.committer;

import java.io.IOException;

/**
 * A pending part file that cannot be committed however often it is retried: a file this sink did not write is at its
 * target, or its pending data is gone. The committer fails the job with it rather than drop the file's records; its
 * message names the bucket, the target, the reason and what to do.
 */
public final class PermanentCommitFailure extends IOException {

    private static final long serialVersionUID = 1L;

    PermanentCommitFailure(FileSinkCommittable committable, IOException cause) {
        super("Cannot commit part file '" + committable.target() + "' of bucket '" + committable.bucketId() + "': "
                + cause.getMessage() + ". The job fails instead of dropping the file's records, and every restart "
                + "replays this commit: move away what is at the target (or bring back the pending data) and the "
                + "next restart commits it. See 'Commit conflicts' in docs/usage.md.", cause);
    }
}

package dev.filesink.committer;

import dev.filesink.storage.CommitOutcome;

/** Hears what the committer does (metrics). Called from the commit pool's threads. */
public interface CommitListener {

    void committed(FileSinkCommittable committable, CommitOutcome outcome, long latencyMillis);

    void failed(FileSinkCommittable committable);

    void retried(FileSinkCommittable committable);

    CommitListener NO_OP = new CommitListener() {
        @Override
        public void committed(FileSinkCommittable committable, CommitOutcome outcome, long latencyMillis) {}

        @Override
        public void failed(FileSinkCommittable committable) {}

        @Override
        public void retried(FileSinkCommittable committable) {}
    };
}

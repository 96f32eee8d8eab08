package dev.filesink.bucket;

import dev.filesink.partfile.PartFileNaming;

/** Hands out the names of a writer's new part files: its uid and a counter that only grows. */
public final class PartFileNamer {

    private final PartFileNaming naming;
    private final String uid;
    private long nextCounter;

    public PartFileNamer(PartFileNaming naming, String uid, long nextCounter) {
        this.naming = naming;
        this.uid = uid;
        this.nextCounter = nextCounter;
    }

    public String nextName() {
        return naming.name(uid, nextCounter++);
    }

    public String uid() {
        return uid;
    }

    public long nextCounter() {
        return nextCounter;
    }
}

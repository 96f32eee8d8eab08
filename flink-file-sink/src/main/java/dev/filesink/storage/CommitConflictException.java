package dev.filesink.storage;

import java.io.IOException;

/**
 * A finished file already exists at a commit's target and was not written by that commit. The sink never
 * replaces it; the commit fails permanently.
 */
public class CommitConflictException extends IOException {

    private static final long serialVersionUID = 1L;

    public CommitConflictException(String message) {
        super(message);
    }
}

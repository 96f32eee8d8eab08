package dev.filesink.s3.commit;

import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.StagingLayout;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The safety net after a restore: finds staging objects of this sink's writers that no restored state references
 * and that no checkpoint can need any more. Only two kinds qualify, both provably dead:
 *
 * <ul>
 *   <li>other persists of a part file the restored state names (that file can only continue from the restored one);
 *   <li>persists of a part file that is committed: the object at its final key carries the file's own token.
 * </ul>
 *
 * <p>Anything else is left alone, in particular the tails of files that the committer's restored state may still
 * commit, and objects of part files the caller does not own (other jobs, other base paths sharing the prefix).
 */
public final class StagingSweep {

    private final S3Operations operations;
    private final S3Location base;
    private final StagingLayout staging;

    public StagingSweep(S3Operations operations, S3Location base, StagingLayout staging) {
        this.operations = operations;
        this.base = base;
        this.staging = staging;
    }

    /**
     * @param restored the in-progress files of the restored state
     * @param owned accepts the final names of part files whose staging objects this writer may remove
     * @return the unreferenced staging objects, each as a state whose only content is its staging key
     */
    public List<S3Recoverable> find(Collection<S3Recoverable> restored, Predicate<String> owned) throws IOException {
        Set<String> referenced = new HashSet<>();
        Set<String> restoredFiles = new HashSet<>();
        for (S3Recoverable file : restored) {
            if (file.stagingKey() != null) {
                referenced.add(file.stagingKey());
            }
            restoredFiles.add(file.targetKey() + '\n' + file.token());
        }
        List<S3Recoverable> unreferenced = new ArrayList<>();
        for (String key : operations.listKeys(base.bucket(), staging.prefix())) {
            StagingLayout.StagedTail tail = staging.parse(key);
            if (tail == null || referenced.contains(key) || !owned.test(tail.finalName())) {
                continue;
            }
            if (restoredFiles.contains(tail.finalKey() + '\n' + tail.token()) || committed(tail)) {
                unreferenced.add(new S3Recoverable(base.bucket(), tail.finalKey(), null, tail.token(), List.of(), null,
                        key, 0, 0, false));
            }
        }
        return unreferenced;
    }

    private boolean committed(StagingLayout.StagedTail tail) throws IOException {
        Optional<HeadObjectResponse> existing = operations.head(base.bucket(), tail.finalKey());
        return existing.isPresent()
                && tail.token().equals(existing.get().metadata().get(S3Operations.UPLOAD_TOKEN_METADATA));
    }
}

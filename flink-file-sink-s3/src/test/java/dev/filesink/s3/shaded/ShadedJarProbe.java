package dev.filesink.s3.shaded;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.config.S3Credentials;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;

import java.nio.charset.StandardCharsets;

/**
 * Runs inside a class loader that has the shaded jar but no AWS SDK: writes and commits one part file. Touches
 * only the sink's API, never the SDK.
 */
public final class ShadedJarProbe {

    private ShadedJarProbe() {}

    public static String writeAndCommit(String endpoint, String accessKey, String secretKey, String target, String text)
            throws Exception {
        S3Destination destination = S3Destination.builder()
                .endpoint(endpoint)
                .region("us-east-1")
                .pathStyleAccess(true)
                .credentials(S3Credentials.staticKeys(accessKey, secretKey))
                .build();
        Path path = new Path(target);
        try (StorageSession session = S3Storage.of(destination).open(path.getParent())) {
            session.checkWritable();
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(path);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.persist();
            RecoverableFsDataOutputStream.Committer committer = out.closeForCommit();
            CommitOutcome outcome = session.commit(path, committer.getRecoverable(), text.length());
            return outcome.name() + " via " + session.recoverableWriter().getClass().getClassLoader().getClass().getSimpleName();
        }
    }
}

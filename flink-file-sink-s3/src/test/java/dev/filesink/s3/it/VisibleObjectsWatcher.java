package dev.filesink.s3.it;

import dev.filesink.s3.testing.S3Server;

import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Lists a bucket prefix while a job runs and records every violation of "a final object, once visible, never
 * changes and never disappears", and every object that appears while the job says none may be visible yet.
 */
final class VisibleObjectsWatcher implements AutoCloseable {

    /** s3proxy's in-memory store lists open multipart uploads as {@code <key>-<upload id>}; S3 does not. */
    private static final java.util.regex.Pattern IN_PROGRESS_UPLOAD =
            java.util.regex.Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Server server;
    private final String bucket;
    private final String prefix;
    private final BooleanSupplier mayBeVisible;
    private final Map<String, String> etags = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    VisibleObjectsWatcher(S3Server server, String bucket, String prefix, BooleanSupplier mayBeVisible) {
        this.server = server;
        this.bucket = bucket;
        this.prefix = prefix;
        this.mayBeVisible = mayBeVisible;
        this.thread = new Thread(this::poll, "visible-objects-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            try {
                check();
            } catch (RuntimeException e) {
                // The server may be down on purpose; look again later.
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        boolean allowed = mayBeVisible.getAsBoolean();
        Set<String> seen = new HashSet<>();
        for (S3Object object : server.client().listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
            if (object.key().contains("/_filesink-staging/") || IN_PROGRESS_UPLOAD.matcher(object.key()).matches()) {
                continue;
            }
            seen.add(object.key());
            String before = etags.putIfAbsent(object.key(), object.eTag());
            if (before == null && !allowed) {
                violations.add(object.key() + " became visible before any checkpoint completed (" + object.size()
                        + " bytes, " + object.lastModified() + ", seen at " + java.time.Instant.now() + ")");
            }
            if (before != null && !before.equals(object.eTag())) {
                violations.add(object.key() + " changed after it was visible");
            }
        }
        for (String known : etags.keySet()) {
            if (!seen.contains(known)) {
                violations.add(known + " disappeared after it was visible");
            }
        }
    }

    synchronized List<String> violations() {
        running = false;
        check();
        return new ArrayList<>(violations);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}

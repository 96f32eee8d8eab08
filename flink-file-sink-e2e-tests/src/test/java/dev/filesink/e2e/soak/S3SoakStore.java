package dev.filesink.e2e.soak;

import dev.filesink.e2e.ExampleJobArgs;
import dev.filesink.e2e.servers.S3TestServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * s3proxy behind a fault proxy. Every part file is a multipart upload and every tail at a checkpoint a staging
 * object, so open uploads and staging objects are part of the state across every fault.
 */
final class S3SoakStore implements SoakStore {

    private static final String BUCKET = "soak";
    private static final String PREFIX = "out/";

    private final S3TestServer s3;
    private final StorageFaultProxy proxy;

    S3SoakStore(S3TestServer s3) throws IOException {
        this.s3 = s3;
        s3.createBucket(BUCKET);
        int port = Integer.parseInt(s3.endpoint().substring(s3.endpoint().lastIndexOf(':') + 1));
        this.proxy = new StorageFaultProxy("s3", port, "SlowDown");
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public String destination() {
        return "s3://" + BUCKET + "/out";
    }

    @Override
    public StorageFaultProxy proxy() {
        return proxy;
    }

    @Override
    public ExampleJobArgs args(ExampleJobArgs common) {
        return common.destination(destination())
                .set("filesink.s3.endpoint", "http://127.0.0.1:" + proxy.port())
                .set("filesink.s3.path-style-access", true)
                .set("filesink.s3.checkpoint.inline-tail-limit", 0)
                .set("filesink.s3.commit.single-put-limit", 0);
    }

    @Override
    public Map<String, Long> finished() {
        return s3.finishedObjects(BUCKET, PREFIX);
    }

    @Override
    public List<String> lines() {
        return s3.lines(BUCKET, PREFIX);
    }

    @Override
    public Leftovers leftovers() {
        List<String> leaks = new ArrayList<>();
        s3.hiddenObjects(BUCKET, PREFIX).forEach(key -> leaks.add("unfinished object " + key));
        Map<String, Long> finished = finished();
        for (String upload : s3.openUploadsWithIds(BUCKET)) {
            String key = upload.substring(0, upload.indexOf(" (upload "));
            leaks.add("open multipart upload " + upload + (finished.containsKey(key)
                    ? "; a finished object of " + finished.get(key) + " bytes is at its key (committed with another upload)"
                    : "; nothing is at its key"));
        }
        s3.objects(BUCKET, "").keySet().stream().filter(key -> !key.startsWith(PREFIX))
                .forEach(key -> leaks.add("object outside the destination " + key));
        String summary = String.format("%d staging/unfinished objects, %d open multipart uploads",
                s3.hiddenObjects(BUCKET, PREFIX).size(), s3.openUploads(BUCKET).size());
        return new Leftovers(leaks, List.of(), summary);
    }
}

package dev.filesink.testing;

import dev.filesink.partfile.PartFileAwareBulkWriterFactory;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.partfile.PartFileContext;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A line format, row and bulk, that skips records starting with "bad" as a format skips bad records: counted in the
 * context's {@code recordsSkipped}. Remembers the context of every part file it opens (unit tests, one writer).
 */
public final class SkippingLines implements PartFileAwareEncoder<String>, PartFileAwareBulkWriterFactory<String> {

    private static final long serialVersionUID = 1L;

    private final List<PartFileContext> contexts = new ArrayList<>();

    public List<PartFileContext> contexts() {
        return contexts;
    }

    @Override
    public void encode(String element, OutputStream stream) {
        throw new UnsupportedOperationException("the sink opens part files");
    }

    @Override
    public RecordWriter<String> openPartFile(OutputStream out, boolean resumed) {
        throw new UnsupportedOperationException("the sink passes the context");
    }

    @Override
    public RecordWriter<String> openPartFile(OutputStream out, boolean resumed, PartFileContext context) {
        contexts.add(context);
        return element -> write(element, out, context);
    }

    @Override
    public BulkWriter<String> create(FSDataOutputStream out, PartFileContext context) {
        contexts.add(context);
        return new BulkWriter<>() {
            @Override
            public void addElement(String element) throws IOException {
                write(element, out, context);
            }

            @Override
            public void flush() {}

            @Override
            public void finish() throws IOException {
                out.flush();
            }
        };
    }

    private static void write(String element, OutputStream out, PartFileContext context) throws IOException {
        if (element.startsWith("bad")) {
            context.recordsSkipped().inc();
        } else {
            out.write((element + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}

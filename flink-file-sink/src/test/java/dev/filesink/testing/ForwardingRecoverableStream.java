package dev.filesink.testing;

import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/**
 * A storage stream that hands every call to another: tests extend it and override only what they observe or break
 * (count writes, fail a persist, ask for a roll).
 */
public class ForwardingRecoverableStream extends RecoverableFsDataOutputStream {

    protected final RecoverableFsDataOutputStream out;

    public ForwardingRecoverableStream(RecoverableFsDataOutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public long getPos() throws IOException {
        return out.getPos();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void sync() throws IOException {
        out.sync();
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
        return out.persist();
    }

    @Override
    public Committer closeForCommit() throws IOException {
        return out.closeForCommit();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

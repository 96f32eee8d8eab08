package dev.filesink.azure.writer;

import com.azure.core.util.BinaryData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of the block being filled, in chunks that grow from 16 KiB to 1 MiB: a part file that only ever gets a
 * few records holds a few KiB, not a whole block, and a full block is handed to the upload without a copy.
 */
final class BlockBuffer {

    private static final int FIRST_CHUNK = 16 * 1024;
    private static final int LARGEST_CHUNK = 1024 * 1024;

    private List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int currentFill;
    private int size;

    int size() {
        return size;
    }

    void write(int b) {
        if (current == null || currentFill == current.length) {
            newChunk();
        }
        current[currentFill++] = (byte) b;
        size++;
    }

    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (current == null || currentFill == current.length) {
                newChunk();
            }
            int n = Math.min(length, current.length - currentFill);
            System.arraycopy(bytes, offset, current, currentFill, n);
            currentFill += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    /** Hands the buffered bytes over as one block's content and starts empty again. */
    BinaryData take() {
        List<ByteBuffer> buffers = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            int length = i == chunks.size() - 1 ? currentFill : chunk.length;
            buffers.add(ByteBuffer.wrap(chunk, 0, length).asReadOnlyBuffer());
        }
        clear();
        return BinaryData.fromListByteBuffer(buffers);
    }

    void clear() {
        chunks = new ArrayList<>();
        current = null;
        currentFill = 0;
        size = 0;
    }

    private void newChunk() {
        int next = current == null ? FIRST_CHUNK : Math.min(current.length * 2, LARGEST_CHUNK);
        current = new byte[next];
        currentFill = 0;
        chunks.add(current);
    }
}

package dev.filesink.azure;

import dev.filesink.azure.path.AzureBlobLocation;
import dev.filesink.azure.writer.BlockBlobOutputStream;
import dev.filesink.azure.writer.OpenBlobs;
import dev.filesink.partfile.InProgressPartFile;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Wraps any rolling policy and additionally rolls a part file before it would pass the block blob limit of 50,000
 * committed blocks (or the destination's lower {@code maxBlocksPerBlob}). Every checkpoint stages a block for each
 * open part file, so a file that stays open over many checkpoints needs this. {@link AzureFileSink} applies it.
 */
public final class BlockLimitRollingPolicy<IN> implements RollingPolicy<IN, String> {

    private static final long serialVersionUID = 1L;

    private final RollingPolicy<IN, String> policy;
    /** The stream behind each part file the policy was asked about; part files are forgotten with their writer. */
    private transient Map<PartFileInfo<String>, Optional<BlockBlobOutputStream>> streams;
    /** The part file asked about last, and its stream: records mostly go to the same part file in a row. */
    private transient PartFileInfo<String> lastPartFile;
    private transient Optional<BlockBlobOutputStream> lastStream;

    private BlockLimitRollingPolicy(RollingPolicy<IN, String> policy) {
        this.policy = policy;
    }

    public static <IN> BlockLimitRollingPolicy<IN> wrap(RollingPolicy<IN, String> policy) {
        if (policy == null) {
            throw new IllegalArgumentException("rolling policy must not be null");
        }
        if (policy instanceof BlockLimitRollingPolicy<IN> wrapped) {
            return wrapped;
        }
        return new BlockLimitRollingPolicy<>(policy);
    }

    public RollingPolicy<IN, String> wrapped() {
        return policy;
    }

    @Override
    public boolean shouldRollOnCheckpoint(PartFileInfo<String> partFile) throws IOException {
        return policy.shouldRollOnCheckpoint(partFile) || nearBlockLimit(partFile);
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFile, IN element) throws IOException {
        return policy.shouldRollOnEvent(partFile, element) || nearBlockLimit(partFile);
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFile, long currentTime) throws IOException {
        return policy.shouldRollOnProcessingTime(partFile, currentTime) || nearBlockLimit(partFile);
    }

    private boolean nearBlockLimit(PartFileInfo<String> partFile) {
        if (partFile == lastPartFile) {
            return lastStream.map(BlockBlobOutputStream::nearBlockLimit).orElse(false);
        }
        if (streams == null) {
            streams = new WeakHashMap<>();
        }
        Optional<BlockBlobOutputStream> stream = streams.get(partFile);
        if (stream == null) {
            stream = find(partFile);
            streams.put(partFile, stream);
        }
        lastPartFile = partFile;
        lastStream = stream;
        return stream.map(BlockBlobOutputStream::nearBlockLimit).orElse(false);
    }

    private static Optional<BlockBlobOutputStream> find(PartFileInfo<String> partFile) {
        if (!(partFile instanceof InProgressPartFile<?> file)) {
            return Optional.empty();
        }
        try {
            AzureBlobLocation location = AzureBlobLocation.of(file.target());
            return OpenBlobs.find(location.container(), location.blobName());
        } catch (IllegalArgumentException notAzure) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BlockLimitRollingPolicy{" + policy + "}";
    }
}

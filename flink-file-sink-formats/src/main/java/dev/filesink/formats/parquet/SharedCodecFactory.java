package dev.filesink.formats.parquet;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.CodecFactory;

/**
 * One Parquet codec factory for all part files of a writer subtask. Parquet's default is a factory per file, and
 * each of its compressors holds a page-sized (1 MiB) buffer: 2,000 open part files would hold 2 GiB of them. Pages
 * are compressed one at a time on the subtask's thread and copied right away, so one compressor per codec serves
 * every file. Files do not release it when they close; it lives as long as the subtask.
 */
final class SharedCodecFactory extends CodecFactory {

    SharedCodecFactory(Configuration configuration, int pageSize) {
        super(configuration, pageSize);
    }

    @Override
    public void release() {
        // Shared by every part file of the subtask: closing one file must not release it for the others.
    }
}

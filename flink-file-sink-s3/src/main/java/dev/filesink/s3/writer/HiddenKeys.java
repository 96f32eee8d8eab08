package dev.filesink.s3.writer;

import dev.filesink.storage.InProgressNames;

import javax.annotation.Nullable;

/**
 * Keys of part files kept under a hidden name next to their final key (compacting sinks):
 * {@code <folder>/.<final name>.inprogress.<token>}, the core's {@link InProgressNames} rule with the file's token as
 * the unique part.
 */
public final class HiddenKeys {

    private HiddenKeys() {}

    public static String hiddenKey(String finalKey, String token) {
        int slash = finalKey.lastIndexOf('/');
        return finalKey.substring(0, slash + 1) + InProgressNames.hiddenName(finalKey.substring(slash + 1), token);
    }

    /** The final key a hidden key was made for, or null if {@code key} is not a hidden one. */
    @Nullable
    public static String finalKeyOf(String key) {
        int slash = key.lastIndexOf('/');
        String finalName = InProgressNames.finalNameOf(key.substring(slash + 1));
        return finalName == null ? null : key.substring(0, slash + 1) + finalName;
    }

    /** The final name a file or staging object name belongs to: itself, or what its hidden name was made for. */
    public static String visibleName(String name) {
        String finalName = InProgressNames.finalNameOf(name);
        return finalName != null ? finalName : name;
    }
}

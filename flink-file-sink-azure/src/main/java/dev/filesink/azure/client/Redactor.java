package dev.filesink.azure.client;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it reaches a message, a log or an exception: the configured key, token and
 * connection string, plus anything shaped like a SAS signature or a connection string's key.
 */
public final class Redactor implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String REDACTED = "<redacted>";

    private static final Pattern SHAPED_LIKE_SECRETS = Pattern.compile(
            "(?i)((?:^|[?&;\\s])(?:sig|AccountKey|SharedAccessSignature|SharedAccessKey)=)[^&;\\s\"']+");

    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        List<String> nonEmpty = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                nonEmpty.add(secret);
            }
        }
        // Longest first, so a connection string goes before the key inside it.
        nonEmpty.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(nonEmpty);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        return SHAPED_LIKE_SECRETS.matcher(result).replaceAll("$1" + REDACTED);
    }
}

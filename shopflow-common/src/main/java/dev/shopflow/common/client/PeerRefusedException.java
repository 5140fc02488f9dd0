package dev.shopflow.common.client;

/**
 * A peer's final answer (a 4xx other than 408 and 429): the same call gets the same answer, so it is
 * never retried. Carries the problem's title and detail so the caller can report why.
 */
public class PeerRefusedException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;

    public PeerRefusedException(int status, String title, String detail) {
        super("answered " + status + (title == null ? "" : " " + title) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}

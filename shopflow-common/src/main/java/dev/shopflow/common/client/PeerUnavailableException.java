package dev.shopflow.common.client;

/** A peer's answer that can change (5xx, 408, 429): worth retrying, and counted by circuit breakers. */
public class PeerUnavailableException extends RuntimeException {

    private final int status;

    public PeerUnavailableException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

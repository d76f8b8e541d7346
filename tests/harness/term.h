/*
 * term.h - end-to-end test harness: an SSH client with a virtual terminal.
 *
 * A struct term is one SSH session (libssh client API) with a pty and a
 * shell, whose output is fed into a libvterm screen.  A test logs in, types
 * keys, waits for text to appear and reads the screen as a terminal shows it.
 *
 * There is no global state: every struct term is independent, so one process
 * may drive hundreds of sessions (load tests).  A struct term must be used
 * from one thread at a time.  Every function that waits takes a timeout; the
 * blocking libssh calls (connect, authentication, channel requests, writes)
 * are bounded by SSH_OPTIONS_TIMEOUT, which is set to 10 seconds.
 *
 * Screen coordinates are 0-based: row 0 is the top line, column 0 the left
 * column.  Text is UTF-8 throughout.
 */
#ifndef CASETERM_TESTS_HARNESS_TERM_H
#define CASETERM_TESTS_HARNESS_TERM_H

#include <stddef.h>
#include <stdio.h>

struct term;

/*
 * Connect to host:port and log in as user with password.  Password
 * authentication is used when the server offers it; if it offers only
 * keyboard-interactive (or refuses the password and offers that too), every
 * prompt is answered with the password.  Then a session channel is opened, a
 * pty of type termtype (NULL means "xterm-256color") with cols x rows is
 * requested, and a shell.
 *
 * Any host key is accepted and nothing is read from or written to
 * known_hosts; the OpenSSH configuration files are not read
 * (SSH_OPTIONS_PROCESS_CONFIG off).  SSH_OPTIONS_TIMEOUT is 10 seconds.
 *
 * Returns a new struct term, to be released with term_close().  On failure
 * returns NULL and, if err is not NULL, sets *err to a malloc'd message
 * ("connect: ...", "authentication failed", "pty request: ...", ...) that the
 * caller frees.
 */
struct term *term_open(const char *host, int port, const char *user,
    const char *password, const char *termtype, int cols, int rows,
    char **err);

/*
 * Like term_open(), but authenticates with the (unencrypted) private key in
 * the file keypath (any type libssh reads: Ed25519, ECDSA, RSA; OpenSSH or
 * PEM format).  A key that cannot be read gives "cannot read key FILE".
 */
struct term *term_open_key(const char *host, int port, const char *user,
    const char *keypath, const char *termtype, int cols, int rows,
    char **err);

/*
 * Send raw bytes to the server, as if typed or pasted: term_send() sends the
 * NUL-terminated string bytes, term_sendn() sends len bytes.  The bytes are
 * not translated (send "\r" for Return, or use term_key()).  Does not read
 * anything from the server; call term_wait() or term_settle() afterwards.
 * Returns 0 when all bytes were handed to the connection, -1 on error
 * (connection or channel gone).
 */
int term_send(struct term *t, const char *bytes);
int term_sendn(struct term *t, const char *bytes, size_t len);

/*
 * Send one named key as xterm sends it.  Names: "Enter", "Tab", "BTab"
 * (shift-tab), "Esc", "Backspace" (DEL, 0x7f), "Delete", "Up", "Down",
 * "Left", "Right", "Home", "End", "PgUp", "PgDn", "Insert", "F1".."F12",
 * "C-a".."C-z" (the control byte 0x01..0x1a).  Cursor keys, Home and End
 * follow the application cursor-keys mode (DECCKM) the server has set, as a
 * real terminal does: "\033[A" normally, "\033OA" after "\033[?1h".
 * Returns 0 when sent, -1 for an unknown name or a send error.
 */
int term_key(struct term *t, const char *name);

/*
 * Read from the connection, feeding the screen, until the screen contains
 * text (a UTF-8 substring of one row, matched against the row text built as
 * term_row() builds it, so it cannot span rows), or timeout_ms passes, or the
 * channel reaches EOF or closes or the connection drops.  Returns at once if
 * the text is already on the screen.  Returns 1 found, 0 not found.
 */
int term_wait(struct term *t, const char *text, int timeout_ms);

/*
 * Like term_wait(), but the text must appear on the given row (0-based):
 * for what must be in a place, such as the key bar on the last row after a
 * resize, where the old screen may still show it elsewhere.
 */
int term_wait_row(struct term *t, int row, const char *text, int timeout_ms);

/*
 * Like term_wait(), but waits until text is no longer on the screen.
 * Returns 1 when it is gone, 0 when it is still there at the timeout (or when
 * the channel closed with it still on screen).
 */
int term_wait_gone(struct term *t, const char *text, int timeout_ms);

/*
 * Read from the connection until nothing has arrived for quiet_ms, or
 * timeout_ms has passed in total, or the channel closed.  Use it when there
 * is no particular text to wait for.  Returns 0.
 */
int term_settle(struct term *t, int quiet_ms, int timeout_ms);

/*
 * Return 1 if some row of the screen contains text now, 0 if not.  Does not
 * read from the connection.
 */
int term_contains(struct term *t, const char *text);

/*
 * Return the text of row (0-based) as a malloc'd UTF-8 string that the
 * caller frees, or NULL if row is out of range (or out of memory).  Empty
 * cells are spaces; trailing spaces are trimmed.  A double-width character
 * appears once (its second, continuation cell is skipped), so the string's
 * display width equals the screen columns it covers.  Combining characters
 * follow their base character.
 */
char *term_row(struct term *t, int row);

/*
 * Return all rows, each built as term_row() builds it, joined with '\n'
 * (no '\n' after the last row), as a malloc'd string that the caller frees;
 * NULL if out of memory.
 */
char *term_screen(struct term *t);

/*
 * Store the cursor position (0-based) in *row and *col.  Either pointer may
 * be NULL.
 */
void term_cursor(struct term *t, int *row, int *col);

/* The current screen size (as set by term_open() or term_resize()). */
int term_rows(struct term *t);
int term_cols(struct term *t);

/*
 * Attributes of the cell at row, col: *bold and *reverse get 1 or 0, *fg the
 * foreground colour index (0..255, as set by SGR 30-37, 90-97 or 38;5;N) or
 * -1 for the default colour; a direct RGB colour (SGR 38;2;R;G;B) is
 * reported as 0x1000000 | R<<16 | G<<8 | B.  Any pointer may be NULL.
 * Returns 0, or -1 if row, col is off the screen (the outputs are then left
 * alone).
 */
int term_cell_attr(struct term *t, int row, int col, int *bold,
    int *reverse, int *fg);

/*
 * Resize the virtual screen to cols x rows and send a window-change request
 * to the server.  Returns 0, or -1 on bad arguments or a send error.
 */
int term_resize(struct term *t, int cols, int rows);

/*
 * Print the screen to fp framed by a column ruler and a border, followed by
 * the cursor position and the state of the channel (open, EOF, closed, exit
 * status).  Meant for the log when a test fails.
 */
void term_dump(struct term *t, FILE *fp);

/*
 * Read from the connection (feeding the screen) until the server closes the
 * channel or the connection drops, or timeout_ms passes.  If exit_status is
 * not NULL, *exit_status gets the exit status the server sent, or -1 if it
 * sent none (so far, or the program died of a signal).  Returns 1 closed,
 * 0 timeout.
 */
int term_wait_closed(struct term *t, int timeout_ms, int *exit_status);

/* Total bytes of channel data (stdout and stderr) received so far. */
size_t term_bytes_received(struct term *t);
/* Keep (on) or stop keeping every byte the server sends, from now on, as
 * received (escape sequences a terminal would not show, such as printer
 * pass-through, included).  term_raw() returns them NUL-terminated; the
 * buffer is the term's. */
void term_raw_capture(struct term *t, int on);
const char *term_raw(struct term *t, size_t *len);

/*
 * For load tests that multiplex many sessions in one thread: term_fd()
 * returns the session's socket (to poll(2) for POLLIN; do not read it
 * yourself), or -1 once the connection is gone.  term_pump() waits at most
 * timeout_ms (0: do not wait) for the connection, processes whatever arrived
 * into the screen and returns the number of channel bytes that arrived, or
 * -1 if no more can arrive (EOF, channel closed or connection gone).
 */
int term_fd(struct term *t);
int term_pump(struct term *t, int timeout_ms);

/*
 * Close the channel, disconnect and free everything.  Accepts NULL.  May
 * block up to the session timeout if the server stops reading.
 */
void term_close(struct term *t);

#endif /* CASETERM_TESTS_HARNESS_TERM_H */

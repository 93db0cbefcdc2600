struct stats { long requests, bytes, errors; };
extern struct stats stats;
void stats_lock(void);
void stats_unlock(void);
void count_locked(struct stats *s);
void count_bytes(struct stats *s, long n);

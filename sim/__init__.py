"""sim: when will the GPUs promised to Korea actually run, and what delays them?"""

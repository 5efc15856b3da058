"""Awkward rates and durations shared by the tests (after NeuroDSP's tsettings.py).

Rates are odd and not multiples of each other, so a hard-coded 1000 Hz or an integer resample
fails loudly.
"""

FS_EMG = 1999.0
FS_EMG_ODD = 1234.0
FS_FORCE = 123.0
FS_FORCE_FAST = 500.0
N_SECONDS_ODD = 9 + 1 / 7
#: RT tolerance on clean simulations (issue 3: max(10 ms, 2 %)).
RT_ABS_TOL_S = 0.010
RT_REL_TOL = 0.02

# The sample's files with one more bank line whose reference is 1 MB:
# identifying a reference must take time linear in what it reads.
# Run from an empty folder: python3 PATH/bench/long_reference.py
import os, shutil
sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'sample')
for f in ['accounts.csv', 'ledger.csv', 'schedules.csv']:
    shutil.copy(os.path.join(sample, f), f)
src = open(os.path.join(sample, 'bank.csv')).read().rstrip('\n')
ref = 'RA1001 ' + 'AB12 ' * ((1 << 20) // 5)
open('bank.csv', 'w').write(src + f'\nBNKMB,2026-02-02,12.34,{ref},SOMEONE,bank_transfer,,\n')

# A landlord-year with Direct Debit returns at a real density (2% of
# collections a month, a tenth never reversed, a tenth reversed twice):
# the shape that showed reconcile pairing returns in time that grew with
# the ledger times the returns. Writes accounts.csv, ledger.csv and
# bank.csv here: python3 bench/dd_returns.py (from an empty folder).
import random, datetime
random.seed(5)
N=40000
acc=open('accounts.csv','w'); led=open('ledger.csv','w'); bank=open('bank.csv','w')
acc.write('account_ref,tenant_name,tenancy_type,rent_period,rent,opening_date,opening_balance,payment_refs,benefit\n')
led.write('txn_id,account_ref,date,kind,debit,credit,method,bank_ref,description\n')
bank.write('bank_id,date,amount,reference,payer,method,return_code,returned_bank_id\n')
t=b=0
for i in range(N):
    ref=f'RA{100000+i}'; rent=f'{400+(i%300)}.00'
    acc.write(f'{ref},Tenant {i},assured,monthly,{rent},2026-01-01,0.00,DDI{i},none\n')
    for m in range(1,13):
        d=f'2026-{m:02d}-01'
        t+=1; led.write(f'T{t},{ref},{d},charge,{rent},,,,Rent\n')
        b+=1; bid=f'B{b}'; cd=f'2026-{m:02d}-05'
        bank.write(f'{bid},{cd},{rent},DDI{i},TENANT {i},dd,,\n')
        t+=1; led.write(f'T{t},{ref},{cd},payment,,{rent},dd,,\n')
        if random.random()<0.02:
            b+=1; rd=f'2026-{m:02d}-12'
            bank.write(f'B{b},{rd},-{rent},DDI{i},TENANT {i},dd_return,0,{bid}\n')
            r=random.random()
            if r>0.1: t+=1; led.write(f'T{t},{ref},{rd},reversal,{rent},,dd,,Returned DD\n')
            if r>0.9: t+=1; led.write(f'T{t},{ref},2026-{m:02d}-14,reversal,{rent},,dd,,Again\n')

# Run from an empty folder: python3 bench/one_account_returns.py
# One account with 10,000 Direct Debit collections, each returned and
# reversed on the ledger without a bank id.
import datetime
d0=datetime.date(2000,1,3)
with open('accounts.csv','w') as a: a.write('account_ref,tenant_name,tenancy_type,rent_period,rent,opening_date,opening_balance,payment_refs,benefit\nRA1,Ann Lee,assured,weekly,100.00,2000-01-03,0.00,DDI1,none\n')
L=open('ledger.csv','w'); B=open('bank.csv','w')
L.write('txn_id,account_ref,date,kind,debit,credit,method,bank_ref,description\n')
B.write('bank_id,date,amount,reference,payer,method,return_code,returned_bank_id\n')
for k in range(10000):
    d=d0+datetime.timedelta(days=k); r=d+datetime.timedelta(days=3)
    B.write(f'C{k},{d},100.00,DDI1,ANN LEE,dd,,\n'); B.write(f'R{k},{r},-100.00,DDI1,ANN LEE,dd_return,0,C{k}\n')
    L.write(f'P{k},RA1,{d},payment,,100.00,dd,,\n'); L.write(f'V{k},RA1,{r},reversal,100.00,,dd,,\n')

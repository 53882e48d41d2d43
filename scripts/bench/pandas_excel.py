# pandas.read_excel of the record sheet (openpyxl): what peer tools do with a LAND workbook.
import sys, json
import pandas as pd
df = pd.read_excel(sys.argv[1], sheet_name='Record-Tab')
print(json.dumps({'rows': len(df)}))

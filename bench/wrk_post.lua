-- wrk script for bench/http_load.sh: POST one realistic request to /v1/classify
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "Dear FOI team,\\n\\nUnder the Freedom of Information Act please tell me:\\n1. How many potholes were reported on council roads in 2024/25, by month?\\n2. How many were repaired within 24 hours?\\n3. What was the total spend on pothole repairs, and which contractor carried them out?\\n4. How many compensation claims for pothole damage were received and how much was paid?\\n5. When does the highways maintenance contract end?\\n6. How many highway inspectors does the council employ (FTE)?\\n\\nKind regards,\\nSam Taylor"}'
